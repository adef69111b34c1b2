import type { Kysely } from 'kysely';

/**
 * Drops two indexes that others already cover: `activity_members_user` (user_id) and
 * `activity_invites_user` (user_id) are the first column of `…_user_seq` (user_id, seq), which
 * answers every lookup by user as well. Each was one more b-tree for every join, leave and invite
 * to write: on SQLite one more page in the commit of an activity's creation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('activity_members_user').execute();
  await db.schema.dropIndex('activity_invites_user').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('activity_members_user').on('activity_members').column('user_id').execute();
  await db.schema.createIndex('activity_invites_user').on('activity_invites').column('user_id').execute();
}
