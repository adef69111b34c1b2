import { liveQuery } from 'dexie';
import { createContext, useContext } from 'react';
import { readUnreadCounts, UNREAD_RECOUNT_GAP_MS, type UnreadCounts } from '../../device-db/unread-counts';
import { oneRunAtATime } from './live-query';
import type { LocalSession } from './local-session';

export type { UnreadCounts };

export const NO_UNREAD: UnreadCounts = { messages: 0, notifications: 0 };

/**
 * One live count per session of unread messages and notifications, for everything that shows
 * them: the header's total, the notifications link and the app badge (src/app/local-data/). Each
 * used to watch the same reads on its own, so every message, receipt and notification was
 * counted three times over. One recount at a time, at most every 250 ms (`oneRunAtATime`).
 * Returns the stop.
 */
export function watchUnreadCounts(session: LocalSession, onCounts: (counts: UnreadCounts) => void): () => void {
  const count = oneRunAtATime((stillWanted) => readUnreadCounts(session.db, session.userId, stillWanted), UNREAD_RECOUNT_GAP_MS);
  const subscription = liveQuery(count).subscribe({ next: onCounts, error: () => undefined });
  return () => subscription.unsubscribe();
}

/** The signed-in user's counts, as the composition root provides them; zeros until the screen has shown its own data. */
export const UnreadCountsContext = createContext<UnreadCounts>(NO_UNREAD);

export function useUnreadCounts(): UnreadCounts {
  return useContext(UnreadCountsContext);
}
