import type { Kysely } from 'kysely';
import type { BlockedUser } from '../../protocol';
import type { Database } from '../db/schema';

type Db = Kysely<Database>;

/** Reads and writes of `user_blocks` (one user's blocks of others), for the safety service, chat, sockets and the feed. */

export type BlockedUserRow = { userId: string; blockedUserId: string; blockedAt: string | null; seq: number | string; displayName: string };

/** A user's block rows with the blocked person's name, as the feed carries them. */
export function selectBlockRows(db: Db, userId: string) {
  return db
    .selectFrom('userBlocks as b')
    .innerJoin('users as u', 'u.id', 'b.blockedUserId')
    .select(['b.userId', 'b.blockedUserId', 'b.blockedAt', 'b.seq', 'u.displayName'])
    .where('b.userId', '=', userId);
}

export function toBlockedUser(row: BlockedUserRow): BlockedUser {
  return { userId: row.blockedUserId, displayName: row.displayName, blockedAt: row.blockedAt };
}

export async function readBlockedAt(db: Db, userId: string, blockedUserId: string): Promise<string | null> {
  const row = await db.selectFrom('userBlocks').select('blockedAt').where('userId', '=', userId).where('blockedUserId', '=', blockedUserId).executeTakeFirst();
  return row?.blockedAt ?? null;
}

export async function writeBlock(db: Db, row: { userId: string; blockedUserId: string; blockedAt: string | null; seq: number }): Promise<void> {
  await db
    .insertInto('userBlocks')
    .values(row)
    .onConflict((oc) => oc.columns(['userId', 'blockedUserId']).doUpdateSet({ blockedAt: row.blockedAt, seq: row.seq }))
    .execute();
}

/** Who of the two blocks the other now: `a`, `b`, both, or neither. */
export async function blockBetween(db: Db, a: string, b: string): Promise<{ aBlocksB: boolean; bBlocksA: boolean }> {
  const rows = await db
    .selectFrom('userBlocks')
    .select('userId')
    .where('blockedAt', 'is not', null)
    .where((eb) => eb.or([eb.and([eb('userId', '=', a), eb('blockedUserId', '=', b)]), eb.and([eb('userId', '=', b), eb('blockedUserId', '=', a)])]))
    .execute();
  return { aBlocksB: rows.some((row) => row.userId === a), bBlocksA: rows.some((row) => row.userId === b) };
}

/** Everyone `userId` blocks or is blocked by now: they share no presence or typing with `userId`. */
export async function listBlockedEitherWay(db: Db, userId: string): Promise<string[]> {
  const [blocked, blockers] = await Promise.all([
    db.selectFrom('userBlocks').select('blockedUserId as id').where('userId', '=', userId).where('blockedAt', 'is not', null).execute(),
    db.selectFrom('userBlocks').select('userId as id').where('blockedUserId', '=', userId).where('blockedAt', 'is not', null).execute(),
  ]);
  return [...new Set([...blocked, ...blockers].map((row) => row.id))];
}
