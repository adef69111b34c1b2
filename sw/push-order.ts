/** How long one push may hold up the next: its own event still waits for it to finish. */
export const PUSH_TURN_LIMIT_MS = 20_000;

let lastTurn: Promise<unknown> = Promise.resolve();

/**
 * Runs `work` once every push (and every read of the shown notifications) queued before it is
 * done. A phone back online gets its queued pushes in a burst. Handled side by side, two messages
 * of one conversation would both count no notification before them and show "Ana: …" where
 * "2 new messages" is due. Worse, Chromium's `getNotifications()` deletes from its database every
 * notification the platform does not report as displayed yet (platform_notification_context_impl.cc),
 * so a read beside a `showNotification()` still under way drops that notification for good: it
 * stays on screen, but no later read finds it to count or replace.
 *
 * A turn that fails does not stop the next; one that hangs holds it up for `PUSH_TURN_LIMIT_MS` at most.
 */
export function inPushOrder<T>(work: () => Promise<T>): Promise<T> {
  const turn = lastTurn.then(work);
  const held = Promise.race([turn, new Promise((resolve) => setTimeout(resolve, PUSH_TURN_LIMIT_MS))]);
  lastTurn = held.catch(() => undefined);
  return turn;
}
