import type { Kysely } from 'kysely';

/**
 * Calls: the server's record of each one-to-one call, and `call_lines`, one row per person in a
 * call that has not ended. That row's primary key is what makes "one call at a time" hold when two
 * invitations race, on SQLite and Postgres alike: the second insert for a person conflicts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('caller_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('callee_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    // The one socket that carries each side (signals go to it alone); the callee's is set on accept.
    .addColumn('caller_socket', 'text')
    .addColumn('callee_socket', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('end_cause', 'text')
    // When the call ends unless something happens first: the ring timeout, or the hold for a side
    // whose connection dropped. Kept in the row so any process can end an overdue call.
    .addColumn('deadline_at', 'text')
    .execute();
  await db.schema.createIndex('calls_conversation').on('calls').column('conversation_id').execute();
  await db.schema.createIndex('calls_deadline').on('calls').column('deadline_at').execute();

  await db.schema
    .createTable('call_lines')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
    .execute();
  await db.schema.createIndex('call_lines_call').on('call_lines').column('call_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('call_lines').execute();
  await db.schema.dropTable('calls').execute();
}
