import { readSignedInUser } from '../device-db/device-state';
import { DeepLink } from '../protocol/push';
import { callAnswerPath } from '../protocol/push-rules';
import { declineCall } from './call-decline';
import { CALL_ACCEPT_ACTION, CALL_DECLINE_ACTION, MARK_READ_ACTION, type ShownNotificationData } from './notification-content';
import { markReadOnDevice } from './mark-read';
import { updateBadge } from './push-store';

/**
 * A tap on a notification: it closes, and Rally opens on its deep link, in a window already open
 * (focused and navigated there: the worker serves the shell, so this works offline) or a new one.
 * "Mark read" only marks its notification read. Opening a notification of the center reads it too.
 * A ringing call's "Decline" declines it without opening anything; "Accept" opens its chat, whose
 * page answers the call as soon as it rings there; a plain tap opens the chat, ringing.
 */
export function listenToNotificationClicks(scope: ServiceWorkerGlobalScope): void {
  scope.addEventListener('notificationclick', (event) => {
    event.waitUntil(openNotification(scope, event.notification, event.action));
  });
}

function dataOf(notification: Notification): Partial<ShownNotificationData> {
  return typeof notification.data === 'object' && notification.data !== null ? (notification.data as Partial<ShownNotificationData>) : {};
}

/** The one handler of a click, whatever dispatched it (the browser, or the e2e hook in sw/test-hooks.ts). */
export async function openNotification(scope: ServiceWorkerGlobalScope, notification: Notification, action: string): Promise<void> {
  notification.close();
  const data = dataOf(notification);
  // Someone else signed in since it was shown: it opens nothing of theirs and reads nothing for them.
  const signedIn = await readSignedInUser();
  const mine = data.userId !== undefined && data.userId === signedIn;
  if (mine && data.notificationId) {
    await markReadOnDevice(data.userId!, data.notificationId, new Date()).catch(() => false);
    await updateBadge(scope, data.userId!).catch(() => undefined);
  }
  if (action === MARK_READ_ACTION) return;
  if (mine && data.callId && action === CALL_DECLINE_ACTION) return declineCall(data.userId!, data.callId);
  const link = DeepLink.safeParse(data.url);
  if (!mine || !link.success) return openRally(scope, '/');
  await openRally(scope, data.callId && action === CALL_ACCEPT_ACTION ? callAnswerPath(link.data, data.callId) : link.data);
}

async function openRally(scope: ServiceWorkerGlobalScope, path: string): Promise<void> {
  const url = new URL(path, scope.location.origin).href;
  const windows = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const best = windows.find((client) => client.focused) ?? windows.find((client) => client.visibilityState === 'visible') ?? windows[0];
  if (best) {
    const focused = await best.focus().catch(() => best);
    // navigate() works on windows this worker controls; otherwise a new window is the way there.
    const navigated = await focused.navigate(url).catch(() => null);
    if (navigated) return;
  }
  await scope.clients.openWindow(url);
}
