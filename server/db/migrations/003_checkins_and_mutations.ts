import type { Kysely } from 'kysely';

/**
 * Check-ins (members who arrived), and the bookkeeping that makes mutations exactly-once: each
 * (user, client, mutation id) is recorded with its outcome, and each client's last mutation id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('activity_checkins')
    .addColumn('activity_id', 'text', (c) => c.notNull().references('activities.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('checked_in_at', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('activity_checkins_pk', ['activity_id', 'user_id'])
    .execute();
  await db.schema.createIndex('activity_checkins_seq').on('activity_checkins').column('seq').execute();
  await db.schema.createIndex('activity_checkins_user').on('activity_checkins').column('user_id').execute();
  await db.schema.alterTable('activities').addColumn('checkin_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('mutations')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('mutation_id', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('http_status', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mutations_pk', ['user_id', 'client_id', 'mutation_id'])
    .execute();
  await db.schema
    .createTable('mutation_clients')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('last_mutation_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('mutation_clients_pk', ['user_id', 'client_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mutation_clients').execute();
  await db.schema.dropTable('mutations').execute();
  await db.schema.alterTable('activities').dropColumn('checkin_count').execute();
  await db.schema.dropTable('activity_checkins').execute();
}
