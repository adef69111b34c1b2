import { WebPushSubscription } from '../../../protocol';

/** How long a subscription may take: where there is no push service (headless Chromium) it fails or never answers. */
export const SUBSCRIBE_TIMEOUT_MS = 10_000;

export class PushUnavailableError extends Error {
  constructor(message = 'This browser could not reach its push service. Try again later.') {
    super(message);
    this.name = 'PushUnavailableError';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new PushUnavailableError()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error && error.name === 'NotAllowedError' ? error : new PushUnavailableError());
      },
    );
  });
}

/** Standard Web Push: this worker's subscription under the server's VAPID key, always time-boxed. */
export async function subscribeWebPush(registration: ServiceWorkerRegistration, vapidPublicKey: string): Promise<WebPushSubscription> {
  const subscription = await withTimeout(
    registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: vapidPublicKey }),
    SUBSCRIBE_TIMEOUT_MS,
  );
  return WebPushSubscription.parse(subscription.toJSON());
}

/** Drops this browser's subscription (sign-out, notifications off); time-boxed, and fine offline. */
export async function unsubscribeWebPush(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  await withTimeout(subscription?.unsubscribe() ?? Promise.resolve(false), SUBSCRIBE_TIMEOUT_MS).catch(() => false);
}
