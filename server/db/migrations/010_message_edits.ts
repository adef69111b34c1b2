import { sql, type Kysely } from 'kysely';

/**
 * Messages that change after they are sent: edits, delete for everyone, reactions and replies,
 * and each user's "delete for me".
 *
 * `seq` stays a message's place in its conversation (order, receipts, older pages); `changed_seq`
 * is the position of its last change, which the delta feed follows (equal to `seq` until the
 * message changes). Reactions are a JSON array on the message: every change takes the change
 * sequence's row lock first, so a read-modify-write of one message never races another, and the
 * feed carries a message with its reactions in one row. `hidden_messages` is one user's "delete
 * for me", synced to that user's devices only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('reply_to_id', 'text').execute();
  await db.schema.alterTable('messages').addColumn('edited_at', 'text').execute();
  await db.schema.alterTable('messages').addColumn('deleted_at', 'text').execute();
  await db.schema.alterTable('messages').addColumn('reactions', 'text').execute();
  await db.schema.alterTable('messages').addColumn('changed_seq', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await sql`update messages set changed_seq = seq`.execute(db);
  await db.schema.createIndex('messages_changed_seq').on('messages').column('changed_seq').execute();

  await db.schema
    .createTable('hidden_messages')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('hidden_at', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('hidden_messages_pk', ['user_id', 'message_id'])
    .execute();
  await db.schema.createIndex('hidden_messages_user_seq').on('hidden_messages').columns(['user_id', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('hidden_messages').execute();
  await db.schema.dropIndex('messages_changed_seq').execute();
  for (const column of ['changed_seq', 'reactions', 'deleted_at', 'edited_at', 'reply_to_id']) {
    await db.schema.alterTable('messages').dropColumn(column).execute();
  }
}
