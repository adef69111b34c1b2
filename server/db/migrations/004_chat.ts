import { sql, type Kysely } from 'kysely';

/**
 * Chat: conversations (an activity's room, or a direct one between two users), messages, and
 * each member's delivered/read watermarks. Every row carries the change position of its last
 * change, like everything the sync feed serves.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    // An activity room's id is the activity's; its members are the activity's members.
    .addColumn('activity_id', 'text', (c) => c.references('activities.id').unique())
    // A direct conversation's two people, in sorted order (null for a room).
    .addColumn('user_a', 'text', (c) => c.references('users.id'))
    .addColumn('user_b', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversations_user_a').on('conversations').column('user_a').execute();
  await db.schema.createIndex('conversations_user_b').on('conversations').column('user_b').execute();
  await db.schema.createIndex('conversations_seq').on('conversations').column('seq').execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('sender_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  // Pages of one conversation, and "the newest page" of each.
  await db.schema.createIndex('messages_conversation_seq').on('messages').columns(['conversation_id', 'seq']).execute();
  await db.schema.createIndex('messages_seq').on('messages').column('seq').execute();

  await db.schema
    .createTable('conversation_receipts')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('delivered_seq', 'bigint', (c) => c.notNull())
    .addColumn('read_seq', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_receipts_pk', ['conversation_id', 'user_id'])
    .execute();
  await db.schema.createIndex('conversation_receipts_seq').on('conversation_receipts').column('seq').execute();

  // Members' rooms need their activities' memberships by user.
  await db.schema.createIndex('activity_members_user_seq').on('activity_members').columns(['user_id', 'seq']).execute();

  // Every activity that exists gets its room, at the activity's own position.
  await sql`insert into conversations (id, kind, activity_id, user_a, user_b, created_at, seq)
            select id, 'activity', id, null, null, created_at, seq from activities where deleted_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('activity_members_user_seq').execute();
  await db.schema.dropTable('conversation_receipts').execute();
  await db.schema.dropTable('messages').execute();
  await db.schema.dropTable('conversations').execute();
}
