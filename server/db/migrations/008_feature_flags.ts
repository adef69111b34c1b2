import type { Kysely } from 'kysely';

/**
 * Feature flags' targeting, one row per flag an administrator has set (a flag never set resolves
 * to its default from protocol/flags.ts). The targeting is JSON text, parsed with the contract's
 * schema on every read, so a row written by an older Rally is checked like any input.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('feature_flags')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('targeting', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('feature_flags').execute();
}
