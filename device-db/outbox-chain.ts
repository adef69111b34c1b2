import type { Mutation } from '../protocol';
import type { OutboxEntry, RallyLocalDb } from './local-db';

/**
 * The entry as it goes now: naming the newest earlier entry still pending (queued in the worker,
 * or answered where this device has not heard yet), so the server applies it only after that one.
 * Entries given up on are not named: they may never arrive. The page sends with it
 * (src/outbox/send-entry.ts), and so does the worker for writes a page never handed over
 * (sw/device-outbox.ts).
 */
export async function chainedToPredecessor(db: RallyLocalDb, entry: OutboxEntry): Promise<Mutation> {
  const earlier = await db.outbox.where('mutationId').below(entry.mutationId).reverse().filter((e) => e.status === 'pending').first();
  const { afterMutationId: _stale, ...mutation } = entry.mutation;
  return (earlier ? { ...mutation, afterMutationId: earlier.mutationId } : mutation) as Mutation;
}
