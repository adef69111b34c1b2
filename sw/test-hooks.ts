import { openNotification } from './notification-click';

/**
 * End-to-end tests cannot tap a system notification (headless Chromium has no notification UI and
 * the DevTools protocol cannot click one). On a loopback origin only, a page may ask the worker to
 * run the very handler a tap runs (`openNotification`) on a notification it shows, by tag. It
 * can do nothing a tap could not, and on a real origin it does not exist.
 */
const TEST_CLICK = 'rally-test:notificationclick';

export function listenToTestHooks(scope: ServiceWorkerGlobalScope): void {
  if (!['localhost', '127.0.0.1', '[::1]'].includes(scope.location.hostname)) return;
  scope.addEventListener('message', (event) => {
    const data = event.data as { type?: unknown; tag?: unknown; action?: unknown } | null;
    if (data?.type !== TEST_CLICK || typeof data.tag !== 'string') return;
    const action = typeof data.action === 'string' ? data.action : '';
    event.waitUntil(
      scope.registration.getNotifications({ tag: data.tag }).then(async ([notification]) => {
        if (notification) await openNotification(scope, notification, action);
      }),
    );
  });
}
