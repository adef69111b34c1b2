import type { Db } from './connect';
import type { RefreshTokensTable } from './schema';

export async function insertRefreshToken(db: Db, token: RefreshTokensTable): Promise<void> {
  await db.insertInto('refreshTokens').values(token).execute();
}

export async function findRefreshTokenByHash(db: Db, tokenHash: string): Promise<RefreshTokensTable | undefined> {
  return db.selectFrom('refreshTokens').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();
}

/**
 * Marks a live token as used. Only one caller can win: a second presentation of the same token
 * (a replay, or a thief racing the owner) finds it already rotated.
 */
export async function markRotated(db: Db, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('refreshTokens')
    .set({ rotatedAt: at })
    .where('id', '=', id)
    .where('rotatedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Whether a session was ended (signed out, or revoked after a reused token). */
export async function isFamilyRevoked(db: Db, familyId: string): Promise<boolean> {
  const row = await db.selectFrom('refreshTokens').select('id').where('familyId', '=', familyId).where('revokedAt', 'is not', null).executeTakeFirst();
  return row !== undefined;
}

/**
 * Ends a session: its tokens stop working, and the devices it registered for push are removed,
 * so a signed-out browser receives nothing (also when the session ends through a reused token).
 */
export async function revokeFamily(db: Db, familyId: string, at: string): Promise<void> {
  await db.deleteFrom('pushDevices').where('sessionId', '=', familyId).execute();
  await db
    .updateTable('refreshTokens')
    .set({ revokedAt: at })
    .where('familyId', '=', familyId)
    .where('revokedAt', 'is', null)
    .execute();
}
