import { writeLastBadge } from '../../../device-db/device-state';

/**
 * The app badge follows unread messages plus unread notifications while a page is open (the
 * worker sets it after a push, counting the same way); zero clears it. LocalDataProvider calls it
 * with each new count of the session's one live count (data/unread-live.ts).
 */
export async function showAppBadge(count: number): Promise<void> {
  // Not every browser has badges (Firefox, Safari outside an installed app).
  if (count > 0) await navigator.setAppBadge?.(count).catch(() => undefined);
  else await navigator.clearAppBadge?.().catch(() => undefined);
  await writeLastBadge(count, 'page', new Date()).catch(() => undefined);
}
