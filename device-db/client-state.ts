import type { RallyLocalDb } from './local-db';

/**
 * Takes this device's next mutation number for the user (and makes its sender id on first use).
 * Runs inside the caller's transaction, which must include `clientState`, so the number and the
 * outbox entry that uses it are written together. The page's outbox and the worker's "mark read"
 * number through here, so the two never hand out the same number.
 */
export async function takeNextMutationId(db: RallyLocalDb): Promise<{ clientId: string; mutationId: number }> {
  const state = (await db.clientState.get('client')) ?? { key: 'client' as const, clientId: crypto.randomUUID(), lastMutationId: 0 };
  const mutationId = state.lastMutationId + 1;
  await db.clientState.put({ ...state, lastMutationId: mutationId });
  return { clientId: state.clientId, mutationId };
}
