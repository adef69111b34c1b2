import type { RefreshTokensTable } from '../db/schema';

/**
 * How long a just-rotated refresh token still buys its successor. A refresh answer lost on a
 * flaky network leaves the device holding the old token; it tries again within seconds. Long
 * enough for that retry, short enough that a copy presented later still reads as theft.
 */
export const REFRESH_REPEAT_GRACE_MS = 10_000;

type TokenState = Pick<RefreshTokensTable, 'expiresAt' | 'rotatedAt' | 'revokedAt'>;

export type RefreshDecision =
  /** No live session behind this token: sign in again. */
  | 'signed_out'
  /** A live, unused token: rotate it and issue its successor. */
  | 'rotate'
  /** The token was rotated moments ago and its successor is unused: answer with that successor again. */
  | 'repeat'
  /** A used token came back too late, or after its successor was used: end the family. */
  | 'reused';

/**
 * What a presented refresh token buys. `successor` is the stored row of the token this one
 * rotates into (if the presented one was rotated and that row exists).
 */
export function judgeRefresh(presented: TokenState | undefined, successor: TokenState | undefined, now: Date): RefreshDecision {
  if (!presented || presented.revokedAt !== null) return 'signed_out';
  const at = now.getTime();
  if (presented.rotatedAt === null) return Date.parse(presented.expiresAt) <= at ? 'signed_out' : 'rotate';
  const sinceRotation = at - Date.parse(presented.rotatedAt);
  const successorUnused =
    successor !== undefined && successor.revokedAt === null && successor.rotatedAt === null && Date.parse(successor.expiresAt) > at;
  // Once the successor has been used, the device that lost the answer is no longer the only
  // holder of the old token: whoever presents it now is someone else.
  return sinceRotation <= REFRESH_REPEAT_GRACE_MS && successorUnused ? 'repeat' : 'reused';
}
