import { openNotification } from './notification-click';
import { inPushOrder } from './push-order';

/**
 * End-to-end tests cannot tap a system notification (headless Chromium has no notification UI and
 * the DevTools protocol cannot click one). On a loopback origin only, a page may ask the worker to
 * run the very handler a tap runs (`openNotification`) on a notification it shows, by tag. It
 * can do nothing a tap could not, and on a real origin it does not exist.
 *
 * A test also reads the shown notifications here, not through the page's registration: a read
 * must wait for any push still being shown (see `inPushOrder`), and only the worker knows.
 */
const TEST_CLICK = 'rally-test:notificationclick';
const TEST_READ = 'rally-test:notifications';

export function listenToTestHooks(scope: ServiceWorkerGlobalScope): void {
  if (!['localhost', '127.0.0.1', '[::1]'].includes(scope.location.hostname)) return;
  scope.addEventListener('message', (event) => {
    const data = event.data as { type?: unknown; tag?: unknown; action?: unknown } | null;
    const filter = typeof data?.tag === 'string' ? { tag: data.tag } : undefined;
    if (data?.type === TEST_READ) {
      const [reply] = event.ports;
      event.waitUntil(
        inPushOrder(async () => {
          const shown = await scope.registration.getNotifications(filter);
          reply?.postMessage(
            shown.map((n) => ({
              title: n.title,
              body: n.body,
              tag: n.tag,
              data: n.data as unknown,
              actions: (n as Notification & { actions?: { action: string }[] }).actions?.map((a) => a.action) ?? [],
              requireInteraction: n.requireInteraction,
            })),
          );
        }),
      );
      return;
    }
    if (data?.type !== TEST_CLICK || !filter) return;
    const action = typeof data.action === 'string' ? data.action : '';
    event.waitUntil(
      inPushOrder(async () => {
        const [notification] = await scope.registration.getNotifications(filter);
        if (notification) await openNotification(scope, notification, action);
      }),
    );
  });
}
