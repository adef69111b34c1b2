import { useMemo } from 'react';
import { oneRunAtATime, useLiveQuery } from './live-query';
import type { LocalMessage } from '../../device-db/local-db';
import { UNREAD_RECOUNT_GAP_MS } from '../../device-db/unread-counts';
import { readConversation, readConversationSummaries, readLatestAnnouncement, readTotalUnread, type ConversationSummary, type ConversationView } from './chat-reads';
import { useAfterFirstScreen, useScreenShownWhen } from './first-screen';
import { useLocalSession } from './local-session';

/** Live reads of chat for screens; `undefined` means "still reading". */

/** The chat list is a screen's content: its rows follow writes sooner than the unread total (UNREAD_RECOUNT_GAP_MS). */
const CHAT_LIST_REREAD_GAP_MS = 100;

export function useConversationSummaries(): ConversationSummary[] | undefined {
  const local = useLocalSession();
  const querier = useMemo(
    () => oneRunAtATime(async (stillWanted) => (local ? readConversationSummaries(local.db, local.userId, stillWanted) : undefined), CHAT_LIST_REREAD_GAP_MS),
    [local],
  );
  const summaries = useLiveQuery(querier, [querier]);
  useScreenShownWhen(summaries !== undefined);
  return summaries;
}

/** The conversation, null when this device does not hold it. */
export function useConversation(conversationId: string): ConversationView | null | undefined {
  const local = useLocalSession();
  const conversation = useLiveQuery(() => (local ? readConversation(local.db, local.userId, conversationId) : undefined), [local, conversationId]);
  useScreenShownWhen(conversation !== undefined);
  return conversation;
}

/** Unread messages across every conversation (0 while reading, and until the screen has shown its own data). */
export function useTotalUnread(): number {
  const local = useLocalSession();
  const counting = useAfterFirstScreen() ? local : null;
  const querier = useMemo(
    () => oneRunAtATime(async (stillWanted) => (counting ? readTotalUnread(counting.db, counting.userId, stillWanted) : 0), UNREAD_RECOUNT_GAP_MS),
    [counting],
  );
  return useLiveQuery(querier, [querier], 0);
}

/** The organizer's newest announcement in the activity's room. */
export function useLatestAnnouncement(activityId: string): LocalMessage | undefined {
  const local = useLocalSession();
  return useLiveQuery(() => (local ? readLatestAnnouncement(local.db, activityId) : undefined), [local, activityId]);
}
