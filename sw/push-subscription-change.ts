import { APP_VERSION, readDeviceId, readSignedInUser } from '../device-db/device-state';
import { PushConfig, type RegisterDeviceBody, type WebPushSubscription } from '../protocol/push';
import { refreshAccessToken } from './replay-requests';

/**
 * The push service replaced this device's subscription (expired, or keys rotated): subscribe
 * again with the server's VAPID key and register the new one, as the signed-in user only, with a
 * token refreshed through the cookie (the way queued writes are replayed). A device whose Firebase
 * token lapsed registers here as plain Web Push (the worker never loads Firebase); the page
 * registers it through Firebase again when push is next set up.
 */
export function listenToSubscriptionChanges(scope: ServiceWorkerGlobalScope): void {
  scope.addEventListener('pushsubscriptionchange', (event) => {
    event.waitUntil(resubscribe(scope).catch((error: unknown) => console.warn('Rally could not renew push', error)));
  });
}

async function resubscribe(scope: ServiceWorkerGlobalScope): Promise<void> {
  const userId = await readSignedInUser();
  if (!userId) return;
  const config = PushConfig.parse(await (await fetch('/api/push/config')).json());
  const subscription = await scope.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: config.vapidPublicKey });
  const session = await refreshAccessToken();
  // The cookie is someone else's (or nobody's): registering would give them this device's pushes.
  if (typeof session === 'string' || session.userId !== userId || !session.token) return;
  const body: RegisterDeviceBody = {
    kind: 'webpush',
    deviceId: await readDeviceId(),
    subscription: subscription.toJSON() as WebPushSubscription,
    platform: scope.navigator.userAgent.slice(0, 200) || 'unknown',
    appVersion: APP_VERSION,
  };
  await fetch('/api/devices', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${session.token}` },
    body: JSON.stringify(body),
  });
}
