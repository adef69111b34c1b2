import { callPushTag } from '../../../protocol/push-rules';

/**
 * Closes the system notification of a call, shown by the worker when the call was pushed to this
 * device (sw/notification-content.ts), once the page rings or the call is over here: the page has
 * taken over, and a notification still offering Accept would be stale.
 */
export async function closeCallNotification(callId: string): Promise<void> {
  const registration = await navigator.serviceWorker?.getRegistration().catch(() => undefined);
  const shown = (await registration?.getNotifications({ tag: callPushTag(callId) }).catch(() => [])) ?? [];
  for (const notification of shown) notification.close();
}
