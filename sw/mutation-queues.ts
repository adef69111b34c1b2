import { Queue } from 'workbox-background-sync';
import { MUTATION_QUEUE_NAME, outboxSyncTag } from '../protocol/worker-messages';
import { withoutCredentials, writerOf } from './write-owner';

/**
 * One workbox-background-sync queue per user (`rally-mutations:<userId>`, in IndexedDB): a user's
 * writes keep their order, wait only for that user, and are never behind anyone else's. A queue
 * is made when first needed; after the worker is killed, a sync for a user's queue names its user
 * in its tag (`syncTagUser`), so nothing has to be remembered to find it again.
 */

export type QueueEntry = NonNullable<Awaited<ReturnType<Queue['shiftRequest']>>>;

/** Expiry is ours (it must tell the page), so Workbox never drops an entry silently first. */
const RETENTION_MINUTES = 30 * 24 * 60;
const USER_QUEUE_PREFIX = `${MUTATION_QUEUE_NAME}:`;
const SYNC_TAG_PREFIX = outboxSyncTag('');

const queues = new Map<string, Queue>();
let onSyncFor: (userId: string) => Promise<void> = async () => undefined;

/** What a sync event for a user's queue does (set once by the outbox). */
export function replayUserQueuesWith(replay: (userId: string) => Promise<void>): void {
  onSyncFor = replay;
}

export function queueOf(userId: string): Queue {
  let queue = queues.get(userId);
  if (!queue) {
    queue = new Queue(`${USER_QUEUE_PREFIX}${userId}`, { maxRetentionTime: RETENTION_MINUTES, onSync: () => onSyncFor(userId) });
    queues.set(userId, queue);
  }
  return queue;
}

/** The user a background-sync tag belongs to, if it is one of these queues'. */
export function syncTagUser(tag: string): string | null {
  return tag.startsWith(SYNC_TAG_PREFIX) ? tag.slice(SYNC_TAG_PREFIX.length) : null;
}

export async function queuedByUser(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [userId, queue] of queues) counts[userId] = await queue.size();
  return counts;
}

/** Takes every queued write of `userId` out of the queue, unsent. */
export async function dropAllOf(userId: string): Promise<void> {
  const queue = queueOf(userId);
  while (await queue.shiftRequest());
}

/**
 * Writes queued before there was a queue per user sit in the one shared queue, with the token they
 * were made with. Each moves, without its token and in order, to the front of its writer's queue;
 * one that names no writer can be sent as nobody and is handed back as failed.
 */
const legacyQueue = new Queue(MUTATION_QUEUE_NAME, {
  maxRetentionTime: RETENTION_MINUTES,
  onSync: async () => {
    for (const writer of await adoptLegacyWrites()) await onSyncFor(writer);
  },
});

export async function adoptLegacyWrites(onUnowned: (entry: QueueEntry) => void = () => undefined): Promise<string[]> {
  const entries: QueueEntry[] = [];
  for (let entry = await legacyQueue.shiftRequest(); entry; entry = await legacyQueue.shiftRequest()) entries.push(entry);
  const writers = new Set<string>();
  for (const entry of entries.reverse()) {
    const writer = writerOf(entry.request.headers, entry.metadata);
    if (writer === null) {
      onUnowned(entry);
      continue;
    }
    const body = await entry.request.clone().text();
    await queueOf(writer).unshiftRequest({ request: withoutCredentials(entry.request, body), ...(entry.timestamp ? { timestamp: entry.timestamp } : {}), metadata: { userId: writer } });
    writers.add(writer);
  }
  return [...writers];
}
