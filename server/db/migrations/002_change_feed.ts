import { sql, type Kysely } from 'kysely';

/**
 * The change feed: one server-wide sequence, a `seq` on every synced row (the position of its
 * last change), tombstones for what disappears, and an epoch that tells a cursor from another
 * database apart.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('change_sequence')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('sync_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  for (const table of ['activities', 'activity_members', 'activity_likes', 'activity_invites']) {
    await db.schema.alterTable(table).addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(1)).execute();
  }
  await db.schema.alterTable('activities').addColumn('public_since_seq', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  // Rows from before the feed existed all sit at position 1; a fresh cursor starts below it.
  await sql`update activities set public_since_seq = 1 where visibility = 'public'`.execute(db);

  await db.schema
    .createTable('tombstones')
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('activity_id', 'text', (c) => c.notNull())
    // Null: anyone it concerns; otherwise only this user (e.g. the one who lost sight of it).
    .addColumn('user_id', 'text')
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createIndex('tombstones_seq').on('tombstones').column('seq').execute();
  await db.schema.createIndex('activities_seq').on('activities').column('seq').execute();
  await db.schema.createIndex('activities_public_since').on('activities').column('public_since_seq').execute();
  await db.schema.createIndex('activity_members_seq').on('activity_members').column('seq').execute();
  await db.schema.createIndex('activity_likes_seq').on('activity_likes').column('seq').execute();
  await db.schema.createIndex('activity_invites_user_seq').on('activity_invites').columns(['user_id', 'seq']).execute();

  await sql`insert into change_sequence (id, value) values (1, 1)`.execute(db);
  const epoch = globalThis.crypto.randomUUID();
  await sql`insert into sync_meta (key, value) values ('epoch', ${epoch})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tombstones').execute();
  for (const table of ['activities', 'activity_members', 'activity_likes', 'activity_invites']) {
    await db.schema.alterTable(table).dropColumn('seq').execute();
  }
  await db.schema.alterTable('activities').dropColumn('public_since_seq').execute();
  await db.schema.dropTable('sync_meta').execute();
  await db.schema.dropTable('change_sequence').execute();
}
