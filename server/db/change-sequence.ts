import type { Kysely } from 'kysely';
import { preparedQuery } from './prepared-query';
import type { Database } from './schema';

/**
 * Takes the next position in the server-wide change sequence. Call it FIRST in a write
 * transaction: the UPDATE locks the counter row until commit, so transactions commit in the
 * order of their positions and a reader never sees position n+1 before position n. That is what
 * lets a sync cursor be a plain number without ever skipping a change that commits late.
 */
export async function takeNextSeq(trx: Kysely<Database>): Promise<number> {
  const { rows } = await nextSeqQuery(trx, {});
  if (!rows[0]) throw new Error('change_sequence has no row');
  return Number(rows[0].value);
}

// Every write runs it first: built once (see preparedQuery).
const nextSeqQuery = preparedQuery<never, { value: number }>((db) =>
  db
    .updateTable('changeSequence')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('id', '=', 1)
    .returning('value'),
);

/** The last committed position. */
export async function readCurrentSeq(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('changeSequence').select('value').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.value);
}
