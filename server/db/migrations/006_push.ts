import type { Kysely } from 'kysely';

/**
 * Push: registered devices (tied to the session that registered them), the push outbox (one row
 * per device per push, written in the transaction of the change that caused it), the
 * notification center, and each user's push and per-conversation settings. Synced rows carry the
 * change position of their last change, like everything the feed serves.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('push_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    // The refresh session (token family) that registered it: signing out removes it.
    .addColumn('session_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('endpoint', 'text')
    .addColumn('p256dh', 'text')
    .addColumn('auth', 'text')
    .addColumn('fcm_token', 'text')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('app_version', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('push_devices_user').on('push_devices').column('user_id').execute();
  await db.schema.createIndex('push_devices_session').on('push_devices').column('session_id').execute();

  await db.schema
    .createTable('push_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // No foreign key: a device removed after the push was queued leaves the row to be settled as expired.
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    // pending | sent | failed | expired | skipped-live
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    // A claim: the row is another dispatcher's until then; after it, a dead claimer's row is free again.
    .addColumn('lease_until', 'text')
    .addColumn('claimed_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('settled_at', 'text')
    .execute();
  await db.schema.createIndex('push_outbox_due').on('push_outbox').columns(['status', 'next_attempt_at']).execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('activity_id', 'text')
    .addColumn('conversation_id', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notifications_user_seq').on('notifications').columns(['user_id', 'seq']).execute();
  await db.schema.createIndex('notifications_user_id').on('notifications').columns(['user_id', 'id']).execute();

  await db.schema
    .createTable('user_settings')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    // PushPreferences as JSON: a new kind needs no migration.
    .addColumn('push', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_settings_user_seq').on('user_settings').columns(['user_id', 'seq']).execute();

  await db.schema
    .createTable('conversation_settings')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('muted_until', 'text')
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_settings_pk', ['conversation_id', 'user_id'])
    .execute();
  await db.schema.createIndex('conversation_settings_user_seq').on('conversation_settings').columns(['user_id', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['conversation_settings', 'user_settings', 'notifications', 'push_outbox', 'push_devices']) {
    await db.schema.dropTable(table).execute();
  }
}
