import type { Kysely } from 'kysely';

/**
 * Group roles. A co-host is an `activity_members` row with role `cohost` (the column is free
 * text, so no change there). `activity_removals` remembers who a host removed: it keeps them from
 * joining again on their own (until the organizer invites them back, which sets `lifted_at`) and tells
 * their devices, through the feed, why the room is gone. One row per (activity, person); `seq` is
 * the position of its last change, which the feed follows per user.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('activity_removals')
    .addColumn('activity_id', 'text', (c) => c.notNull().references('activities.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('removed_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text', (c) => c.notNull())
    .addColumn('lifted_at', 'text')
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('activity_removals_pk', ['activity_id', 'user_id'])
    .execute();
  await db.schema.createIndex('activity_removals_user_seq').on('activity_removals').columns(['user_id', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('activity_removals').execute();
}
