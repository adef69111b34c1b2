import { takeNextMutationId } from '../device-db/client-state';
import type { OutboxEntry } from '../device-db/local-db';
import type { Mutation } from '../protocol/mutations';
import { withUserDb } from './push-store';

/**
 * "Mark read" on a notification, or opening one. The worker does what the page's outbox does,
 * in the same database: marks the row read at once and, in the same transaction, takes the next
 * mutation id of this device's sender and leaves a `notification.read` entry in the outbox. The
 * page sends it the next time it opens (or is told the network is back); the worker does not send
 * it itself, because only the page numbers and settles this device's mutations in order.
 */
export async function markReadOnDevice(userId: string, notificationId: string, now: Date): Promise<boolean> {
  return withUserDb(userId, (db) =>
    db.transaction('rw', [db.notifications, db.clientState, db.outbox], async () => {
      const row = await db.notifications.get(notificationId);
      if (!row || row.readAt !== null) return false;
      const at = now.toISOString();
      const { clientId, mutationId } = await takeNextMutationId(db);
      const mutation: Mutation = { clientId, mutationId, name: 'notification.read', args: { ids: [notificationId] }, createdAt: at };
      const entry: OutboxEntry = { mutationId, mutation, status: 'pending', createdAt: at, undo: [{ table: 'notifications', key: notificationId, row }], error: null };
      await db.outbox.add(entry);
      await db.notifications.put({ ...row, readAt: at });
      return true;
    }),
  );
}
