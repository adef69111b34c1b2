import type { Kysely } from 'kysely';

/**
 * Pinned and archived conversations, per user, beside the mute in `conversation_settings` (so
 * they sync to the user's devices as one row). Null means not pinned, not archived.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversation_settings').addColumn('pinned_at', 'text').execute();
  await db.schema.alterTable('conversation_settings').addColumn('archived_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversation_settings').dropColumn('archived_at').execute();
  await db.schema.alterTable('conversation_settings').dropColumn('pinned_at').execute();
}
