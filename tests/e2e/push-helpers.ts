import { expect, type BrowserContext, type Page } from '@playwright/test';
import type { Message, PushPayload, WebPushSubscription } from '../../protocol';
import { api, type ApiUser } from './api-client';

/**
 * Push without a push service. Headless Chromium has none: the DevTools protocol delivers a push
 * straight to the worker (`ServiceWorker.deliverPushMessage`; a wrong registration id fails
 * silently, so tests assert on the notifications the worker shows), and subscribing is stubbed.
 */

export async function pushDelivery(context: BrowserContext, page: Page): Promise<(data: unknown) => Promise<void>> {
  const deliverText = await rawPushDelivery(context, page);
  return (data) => deliverText(JSON.stringify(data));
}

/** The same, for a push body given as the exact text a push service handed over (its decrypted bytes). */
export async function rawPushDelivery(context: BrowserContext, page: Page): Promise<(text: string) => Promise<void>> {
  const cdp = await context.newCDPSession(page);
  const registration = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((entry) => !entry.isDeleted && new URL(entry.scopeURL).pathname === '/');
      if (ours) resolve(ours.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const registrationId = await registration;
  const origin = new URL(page.url()).origin;
  return async (text) => {
    await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: text });
  };
}

/**
 * The notifications the worker shows now, read by the worker (sw/test-hooks.ts) once the pushes
 * delivered before have been shown. Not through the page's registration: Chromium drops from its
 * records a notification still being shown when a read runs beside it (see sw/push-order.ts).
 */
export function shownNotifications(page: Page, tag?: string) {
  return page.evaluate(async (tag) => {
    const registration = await navigator.serviceWorker.ready;
    const reply = new MessageChannel();
    const answered = new Promise<unknown>((resolve) => (reply.port1.onmessage = (event) => resolve(event.data)));
    registration.active?.postMessage({ type: 'rally-test:notifications', tag }, [reply.port2]);
    return (await answered) as {
      title: string;
      body: string;
      tag: string;
      data: { url: string; count: number; notificationId: string | null };
      actions: string[];
      requireInteraction: boolean;
    }[];
  }, tag);
}

/** The badge last set on this device, and by whom (device-db/device-state.ts records it beside setting it). */
export function lastBadge(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{ count: number; setBy: string; at: string } | null>((resolve, reject) => {
        const open = indexedDB.open('rally-device');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('state')) return resolve(null);
          const get = db.transaction('state').objectStore('state').get('badge');
          get.onsuccess = () => resolve((get.result as { count: number; setBy: string; at: string } | undefined) ?? null);
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

/**
 * Resolves once the worker has finished a push delivered after `since` (its last step records the
 * badge, setBy 'worker'). Read in a tight loop in the page, because an open page records the badge
 * too and may overwrite the worker's record soon after; null if none came within 10 s.
 */
export function workerHandledPushSince(page: Page, since: Date) {
  return page.evaluate(async (sinceIso) => {
    const read = () =>
      new Promise<{ setBy: string; at: string } | undefined>((resolve, reject) => {
        const open = indexedDB.open('rally-device');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('state')) {
            db.close();
            return resolve(undefined);
          }
          const get = db.transaction('state').objectStore('state').get('badge');
          get.onsuccess = () => {
            db.close();
            resolve(get.result as { setBy: string; at: string } | undefined);
          };
          get.onerror = () => reject(get.error);
        };
      });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const badge = await read();
      if (badge?.setBy === 'worker' && badge.at >= sinceIso) return badge;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return null;
  }, since.toISOString());
}

/** Runs the worker's own notificationclick handler on the notification of `tag` (sw/test-hooks.ts). */
export async function clickNotification(page: Page, tag: string, action = ''): Promise<void> {
  await page.evaluate(
    async ({ tag, action }) => {
      const registration = await navigator.serviceWorker.ready;
      registration.active?.postMessage({ type: 'rally-test:notificationclick', tag, action });
    },
    { tag, action },
  );
}

/** A message really sent through the API, as the server stored it. */
export async function sendMessage(base: string, sender: ApiUser, conversationId: string, body: string): Promise<Message> {
  const answer = await api<{ message: Message }>(base, sender, 'POST', '/api/mutations', {
    clientId: crypto.randomUUID(),
    mutationId: 1,
    createdAt: new Date().toISOString(),
    name: 'message.send',
    args: { id: crypto.randomUUID(), conversationId, body, kind: 'text' },
  });
  return answer.message;
}

/**
 * A message push by the contract (protocol/push.ts), built here from the stored message: the
 * worker must handle any payload the contract allows. The server's own wording (tag `chat:<id>`,
 * the activity's title, "Ana: …") is checked end to end in push-from-server.spec.ts.
 */
export function messagePush(recipient: ApiUser, message: Message): PushPayload {
  return {
    v: 1,
    kind: 'message',
    userId: recipient.id,
    title: message.senderName,
    body: message.body,
    url: `/chat/${message.conversationId}`,
    tag: `conversation:${message.conversationId}`,
    conversationId: message.conversationId,
    message,
    notification: null,
    senderName: message.senderName,
    sentAt: new Date().toISOString(),
  };
}

/** The same payload as FCM delivers a data message. */
export function asFcmMessage(payload: PushPayload) {
  return { data: { rally: JSON.stringify(payload) }, from: '1234567890', fcmMessageId: crypto.randomUUID(), priority: 'high' };
}

/**
 * Stubs the push service for an init script: `subscribe` answers a subscription-like object. Its
 * endpoint is a closed loopback port: should the server try to push to it, nothing leaves the machine.
 */
export function stubPushSubscribe(): void {
  const subscription = {
    endpoint: 'https://127.0.0.1:9/push/e2e',
    expirationTime: null,
    options: { userVisibleOnly: true },
    toJSON: () => ({ endpoint: 'https://127.0.0.1:9/push/e2e', expirationTime: null, keys: { p256dh: 'BPe2eKeyForTests', auth: 'e2eAuthSecret' } }),
    unsubscribe: () => Promise.resolve(true),
  };
  PushManager.prototype.subscribe = () => Promise.resolve(subscription as unknown as PushSubscription);
  PushManager.prototype.getSubscription = () => Promise.resolve(null);
}

/**
 * For an init script (`context.addInitScript(stubPushSubscribeAs, subscription)`): `subscribe`
 * answers a subscription whose `toJSON()` is exactly `subscription` (one a push-service stand-in
 * made, so it holds the private key) and whose `getKey()` gives the same keys as bytes, as
 * Firebase's getToken reads them. Every application server key asked for is kept in
 * `window.subscribedWithKeys` (base64url), so a test can tell which VAPID key each path used.
 */
export function stubPushSubscribeAs(subscription: WebPushSubscription): void {
  const fromBase64Url = (text: string) => {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0)).buffer;
  };
  const toBase64Url = (key: BufferSource | string | null | undefined) => {
    if (typeof key === 'string' || !key) return key ?? null;
    const bytes = key instanceof ArrayBuffer ? new Uint8Array(key) : new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
    return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };
  const keys = window as unknown as { subscribedWithKeys: (string | null)[] };
  keys.subscribedWithKeys = [];
  let current: PushSubscription | null = null;
  const made = {
    endpoint: subscription.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true },
    getKey: (name: 'p256dh' | 'auth') => fromBase64Url(subscription.keys[name]),
    toJSON: () => subscription,
    unsubscribe: () => {
      current = null;
      return Promise.resolve(true);
    },
  } as unknown as PushSubscription;
  PushManager.prototype.subscribe = (options?: PushSubscriptionOptionsInit) => {
    keys.subscribedWithKeys.push(toBase64Url(options?.applicationServerKey));
    current = made;
    return Promise.resolve(made);
  };
  PushManager.prototype.getSubscription = () => Promise.resolve(current);
}

/** Taps the settings screen's notifications switch and waits until the page says it is `state`. */
export async function flipNotifications(page: Page, state: 'on' | 'off'): Promise<void> {
  await page.getByRole('switch', { name: 'Turn on notifications' }).click();
  await expect(page.getByTestId('push-state')).toHaveAttribute('data-state', state);
}

/** Socket.IO connections `serverUrl` holds open now, from its own metrics (its METRICS_TOKEN). */
async function openSockets(serverUrl: string, metricsToken: string): Promise<number> {
  const text = await (await fetch(`${serverUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
  const line = text.split('\n').find((row) => row.startsWith('rally_socket_connections '));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}

/**
 * Waits until the server holds `count` sockets. Until then it counts a device whose page went away
 * as live and sends it no push, so a test of pushes waits for this. A page that leaves closes its
 * socket, and the server hears it at once: 15 s is already generous.
 */
export async function waitForOpenSockets(serverUrl: string, metricsToken: string, count: number): Promise<void> {
  await expect.poll(() => openSockets(serverUrl, metricsToken), { timeout: 15_000 }).toBe(count);
}
