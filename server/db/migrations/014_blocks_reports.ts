import type { Kysely } from 'kysely';

/**
 * Blocks and reports (issue 15).
 *
 * `user_blocks` is one user's block of another, synced to the blocker's devices only (a per-user
 * feed kind, like `conversation_settings`). An unblock keeps the row with `blocked_at` null, so it
 * travels through the feed as a change like any other and needs no tombstone.
 *
 * `reports` keeps what was reported as it was then (the message's text and time), so a later edit
 * or delete does not change what administrators read. `source_key` is `<clientId>:<mutationId>`
 * of the mutation that made it: unique, so a report lands once even if its mutation record was
 * pruned before a very late replay.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_blocks')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('blocked_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('blocked_at', 'text')
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_blocks_pk', ['user_id', 'blocked_user_id'])
    .execute();
  await db.schema.createIndex('user_blocks_user_seq').on('user_blocks').columns(['user_id', 'seq']).execute();
  // "Who blocks this person?": the typing and presence fan-out asks it in both directions.
  await db.schema.createIndex('user_blocks_blocked').on('user_blocks').columns(['blocked_user_id', 'user_id']).execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_key', 'text', (c) => c.notNull().unique())
    .addColumn('reporter_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('target_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('message_id', 'text')
    .addColumn('conversation_id', 'text')
    .addColumn('message_body', 'text')
    .addColumn('message_sent_at', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reports_created').on('reports').columns(['created_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reports').execute();
  await db.schema.dropTable('user_blocks').execute();
}
