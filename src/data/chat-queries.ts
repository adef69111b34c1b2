import { useLiveQuery } from 'dexie-react-hooks';
import type { LocalMessage } from '../../device-db/local-db';
import { readConversation, readConversationSummaries, readLatestAnnouncement, readTotalUnread, type ConversationSummary, type ConversationView } from './chat-reads';
import { useLocalSession } from './local-session';

/** Live reads of chat for screens; `undefined` means "still reading". */

export function useConversationSummaries(): ConversationSummary[] | undefined {
  const local = useLocalSession();
  return useLiveQuery(() => (local ? readConversationSummaries(local.db, local.userId) : undefined), [local]);
}

/** The conversation, null when this device does not hold it. */
export function useConversation(conversationId: string): ConversationView | null | undefined {
  const local = useLocalSession();
  return useLiveQuery(() => (local ? readConversation(local.db, local.userId, conversationId) : undefined), [local, conversationId]);
}

/** Unread messages across every conversation (0 while reading). */
export function useTotalUnread(): number {
  const local = useLocalSession();
  return useLiveQuery(() => (local ? readTotalUnread(local.db, local.userId) : 0), [local], 0);
}

/** The organizer's newest announcement in the activity's room. */
export function useLatestAnnouncement(activityId: string): LocalMessage | undefined {
  const local = useLocalSession();
  return useLiveQuery(() => (local ? readLatestAnnouncement(local.db, activityId) : undefined), [local, activityId]);
}
