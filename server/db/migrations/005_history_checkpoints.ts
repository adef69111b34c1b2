import type { Kysely } from 'kysely';

/**
 * What the history pruner needs: checkpoints of the change sequence over time (so tombstones,
 * which carry a position but no time, can be pruned by age), where it stopped (`sync_meta`
 * 'tombstone_horizon'), and stored mutation answers found by age.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('history_checkpoints')
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('history_checkpoints_at').on('history_checkpoints').column('at').execute();
  await db.schema.createIndex('mutations_created_at').on('mutations').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('mutations_created_at').execute();
  await db.schema.dropTable('history_checkpoints').execute();
}
