import { targetOf, type MutationRequest } from '../../device-db/mutation-targets';

export { activityIdOf, targetOf, type MutationRequest } from '../../device-db/mutation-targets';

/** Pure rules of the outbox: duplicates, the cap, expiry, and what to send next (outbox-rules.test.ts). */

export const DUPLICATE_WINDOW_MS = 5_000;
export const DEFAULT_CAP = 100;
export const DEFAULT_EXPIRY_MS = 24 * 60 * 60 * 1000;

/**
 * What a duplicate is compared by. A create carries a fresh id each time, so two creates with the
 * same fields are the same; everything else is the same name on the same activity.
 */
export function duplicateKeyOf(request: MutationRequest): { target: string; signature: string } {
  if (request.name === 'activity.create') {
    const signature = `create:${JSON.stringify(request.args.fields)}`;
    return { target: signature, signature };
  }
  const target = targetOf(request);
  const { id: _id, ...rest } = request.args as { id?: string };
  return { target, signature: `${request.name}:${JSON.stringify(rest)}` };
}

export interface RecentMutation {
  signature: string;
  at: number;
  mutationId: number;
}

/**
 * The earlier mutation this one repeats, if any: the last one on the same target had the same
 * signature within the window. (Like, unlike, like again is three mutations, not a duplicate.)
 */
export function findDuplicate(recent: ReadonlyMap<string, RecentMutation>, request: MutationRequest, now: number): RecentMutation | null {
  const { target, signature } = duplicateKeyOf(request);
  const last = recent.get(target);
  return last && last.signature === signature && now - last.at < DUPLICATE_WINDOW_MS ? last : null;
}

export class OutboxFullError extends Error {
  constructor(readonly cap: number) {
    super(`${cap} changes are already waiting to be sent. Reconnect so they can go out before you make more.`);
    this.name = 'OutboxFullError';
  }
}

export function isExpired(createdAt: string, now: number, expiryMs: number): boolean {
  return now - Date.parse(createdAt) > expiryMs;
}

/** The page's settings, which tests may change through localStorage. */
export function readOutboxSettings(storage: Pick<Storage, 'getItem'> | null): { cap: number; expiryMs: number } {
  const number = (key: string, fallback: number) => {
    const value = Number(storage?.getItem(key) ?? NaN);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return { cap: number('rally:outboxCap', DEFAULT_CAP), expiryMs: number('rally:outboxExpiryMs', DEFAULT_EXPIRY_MS) };
}

