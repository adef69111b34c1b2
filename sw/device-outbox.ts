import Dexie from 'dexie';
import { localDbName } from '../device-db/local-db';
import { chainedToPredecessor } from '../device-db/outbox-chain';
import { WRITER_HEADER } from '../protocol/worker-messages';
import { queueOf } from './mutation-queues';
import { withUserDb } from './push-store';

/**
 * Writes a page stored in its device outbox but never handed to this worker: the page was closed
 * between the two (a write made offline in its last moment), or no worker controlled it then (a
 * first visit, a hard reload), so nothing here would ever send them and they waited for the next
 * visit. On a background sync with no Rally window open, the worker takes them into the user's
 * queue, in order and chained as the page would have sent them, and marks them as its own
 * (`queuedInWorker`), as a 202 from it would have. While any Rally window is open the page sends
 * its own entries: the worker taking them too would only send them twice.
 *
 * Returns how many it took. A worker killed between queuing one and marking it queues it again
 * next time; the server applies a mutation once however often it arrives.
 */
export async function adoptUnhandedWrites(scope: ServiceWorkerGlobalScope, userId: string): Promise<number> {
  const windows = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
  if (windows.length > 0) return 0;
  // Opening a database that is gone (its user signed out) would make an empty one in its place.
  if (!(await Dexie.exists(localDbName(userId)))) return 0;
  return withUserDb(userId, async (db) => {
    const unhanded = await db.outbox
      .where('status')
      .equals('pending')
      .filter((entry) => entry.queuedInWorker !== true)
      .sortBy('mutationId');
    const queue = queueOf(userId);
    for (const entry of unhanded) {
      const mutation = await chainedToPredecessor(db, entry);
      // As the page's HTTP send would have reached the worker, kept without a credential (write-owner.ts).
      const request = new Request(new URL('/api/mutations', scope.location.origin), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [WRITER_HEADER]: userId },
        body: JSON.stringify(mutation),
        credentials: 'omit',
      });
      await queue.pushRequest({ request, timestamp: Date.parse(entry.createdAt) || Date.now(), metadata: { userId } });
      await db.outbox.update(entry.mutationId, { queuedInWorker: true });
    }
    return unhanded.length;
  });
}
