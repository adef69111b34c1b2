import type { Kysely } from 'kysely';

// Migrations take Kysely<unknown>: they must not depend on today's schema types.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('password_salt', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('rotated_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();

  await db.schema
    .createTable('activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text')
    .addColumn('capacity', 'integer')
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('member_count', 'integer', (c) => c.notNull())
    .addColumn('like_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('activities_feed').on('activities').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('activities_owner').on('activities').column('owner_id').execute();

  for (const table of ['activity_members', 'activity_invites', 'activity_likes'] as const) {
    let builder = db.schema
      .createTable(table)
      .addColumn('activity_id', 'text', (c) => c.notNull().references('activities.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'));
    if (table === 'activity_members') builder = builder.addColumn('role', 'text', (c) => c.notNull()).addColumn('joined_at', 'text', (c) => c.notNull());
    if (table === 'activity_invites') builder = builder.addColumn('invited_by', 'text', (c) => c.notNull()).addColumn('created_at', 'text', (c) => c.notNull());
    if (table === 'activity_likes') builder = builder.addColumn('created_at', 'text', (c) => c.notNull());
    await builder.addPrimaryKeyConstraint(`${table}_pk`, ['activity_id', 'user_id']).execute();
    await db.schema.createIndex(`${table}_user`).on(table).column('user_id').execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['activity_likes', 'activity_invites', 'activity_members', 'activities', 'refresh_tokens', 'users']) {
    await db.schema.dropTable(table).execute();
  }
}
