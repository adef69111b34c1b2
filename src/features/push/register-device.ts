import { APP_VERSION, readDeviceId } from '../../../device-db/device-state';
import { PushConfig, type RegisterDeviceBody } from '../../../protocol';
import { apiRequest } from '../../net/api';
import { PushUnavailableError, SUBSCRIBE_TIMEOUT_MS, subscribeWebPush, unsubscribeWebPush } from './web-push-subscription';

/**
 * Registers this browser for the signed-in user's pushes: through Firebase when the server has a
 * Firebase web config, else standard Web Push; either way `POST /api/devices` with this browser's
 * stable id. Turning notifications off (and signing out) unregisters.
 */
export async function registerDevice(): Promise<void> {
  const config = await apiRequest('/api/push/config', { schema: PushConfig });
  const registration = await serviceWorkerReady();
  const common = { deviceId: await readDeviceId(), platform: platformName(), appVersion: APP_VERSION };
  let body: RegisterDeviceBody;
  if (config.firebase) {
    const { firebaseToken } = await import('./firebase-token');
    const token = await timeBoxed(firebaseToken(config.firebase, config.vapidPublicKey, registration));
    body = { kind: 'fcm', token, ...common };
  } else {
    body = { kind: 'webpush', subscription: await subscribeWebPush(registration, config.vapidPublicKey), ...common };
  }
  await apiRequest('/api/devices', { method: 'POST', body });
}

/** DELETE /api/devices/:id and drop the subscription; the local part holds even if the request cannot go. */
export async function unregisterDevice(): Promise<void> {
  const deviceId = await readDeviceId();
  await Promise.allSettled([apiRequest(`/api/devices/${deviceId}`, { method: 'DELETE' }), unsubscribeWebPush()]).then(([request]) => {
    if (request.status === 'rejected') throw request.reason;
  });
}

async function serviceWorkerReady(): Promise<ServiceWorkerRegistration> {
  if (!('serviceWorker' in navigator)) throw new PushUnavailableError('This browser cannot receive notifications.');
  return timeBoxed(navigator.serviceWorker.ready);
}

function timeBoxed<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new PushUnavailableError()), SUBSCRIBE_TIMEOUT_MS))]);
}

function platformName(): string {
  const data = (navigator as Navigator & { userAgentData?: { platform?: string; mobile?: boolean } }).userAgentData;
  return (data?.platform ? `${data.platform}${data.mobile ? ' (mobile)' : ''}` : navigator.userAgent).slice(0, 200) || 'unknown';
}

/**
 * Sign-out's goodbye: the session's token is already dropped, so the one it had is used directly,
 * once, time-boxed; offline it simply fails. Nothing leaks meanwhile: the worker shows a push only
 * for the user signed in on this device, and this subscription is dropped here too.
 */
export async function unregisterOnSignOut(token: string | null): Promise<void> {
  const deviceId = await readDeviceId();
  await Promise.allSettled([
    token
      ? fetch(`/api/devices/${deviceId}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) })
      : Promise.resolve(),
    unsubscribeWebPush(),
  ]);
}
