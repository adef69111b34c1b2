import { useLiveQuery } from './live-query';
import { useLocalSession } from './local-session';
import { readMessageSearch, type MessageSearchResults } from './message-search-reads';
import { useScreenShownWhen } from './first-screen';

/**
 * Live search of the messages on this device (`undefined` while reading). Live: a message that
 * arrives, or changes, while the results are shown is found (or dropped) at once.
 */
export function useMessageSearch(text: string): MessageSearchResults | undefined {
  const local = useLocalSession();
  const results = useLiveQuery(() => (local ? readMessageSearch(local.db, local.userId, text) : undefined), [local, text]);
  useScreenShownWhen(results !== undefined);
  return results;
}
