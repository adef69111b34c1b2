import type { PageToWorkerMessage } from '../../protocol';
import { outboxSyncTag } from '../../protocol/mutation-queue';
import { currentAccessToken } from '../net/auth-client';

/** The page's side of the worker's mutation queue: what it asks the worker to do. */

function tellWorker(message: PageToWorkerMessage): Promise<void> {
  if (!('serviceWorker' in navigator)) return Promise.resolve();
  return navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage(message)).catch(() => undefined);
}

/** Replay now, as `userId` (whose token the worker may use while it lives; it never stores it). */
export function askWorkerToReplay(userId: string): void {
  const accessToken = currentAccessToken();
  void tellWorker({ type: 'REPLAY_OUTBOX', userId, ...(accessToken ? { accessToken } : {}) });
}

/**
 * The page is going (hidden, closed): a background sync for the user's queue, so that what this
 * page wrote and never handed to the worker still goes once the network is back with no page
 * open (sw/device-outbox.ts). Where the browser has no background sync, it waits for the next visit.
 */
export function registerOutboxSync(userId: string): void {
  if (!('serviceWorker' in navigator)) return;
  void navigator.serviceWorker.ready
    .then((registration) => (registration as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }).sync?.register(outboxSyncTag(userId)))
    .catch(() => undefined);
}

/** `userId` signed out: the worker forgets their unsent writes and any token of theirs. */
export function discardWorkerWritesOf(userId: string): Promise<void> {
  return tellWorker({ type: 'DISCARD_WRITES', userId });
}
