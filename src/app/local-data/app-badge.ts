import { liveQuery } from 'dexie';
import { writeLastBadge } from '../../../device-db/device-state';
import { readBadgeCount, UNREAD_RECOUNT_GAP_MS } from '../../../device-db/unread-counts';
import { oneRunAtATime } from '../../data/live-query';
import type { LocalSession } from '../../data/local-session';

/**
 * The app badge follows unread messages plus unread notifications while a page is open (the
 * worker sets it after a push, counting the same way); zero clears it. Returns the stop.
 */
export function showAppBadge(session: LocalSession): () => void {
  const count = oneRunAtATime((stillWanted) => readBadgeCount(session.db, session.userId, stillWanted), UNREAD_RECOUNT_GAP_MS);
  const subscription = liveQuery(count).subscribe({
    next: (count) => void setBadge(count),
    error: () => undefined,
  });
  return () => subscription.unsubscribe();
}

async function setBadge(count: number): Promise<void> {
  // Not every browser has badges (Firefox, Safari outside an installed app).
  if (count > 0) await navigator.setAppBadge?.(count).catch(() => undefined);
  else await navigator.clearAppBadge?.().catch(() => undefined);
  await writeLastBadge(count, 'page', new Date()).catch(() => undefined);
}
