import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * First-party analytics: an append-only table of events (rows are inserted and, past the
 * retention, deleted; never updated). The key is the event's id with its day, so a resent event is
 * a conflict and stored once: the day comes from the event's own time, so a resend always lands on
 * the same day. On Postgres the table is partitioned by that day: pruning drops whole days, and a
 * dashboard's "last 7 days" reads only those partitions. The day partitions are made ahead by the
 * server's maintenance (server/analytics/analytics-partitions.ts), not here: a migration runs once.
 * The default partition catches a day no partition was made for, so an insert never fails.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const table = db.schema
    .createTable('analytics_events')
    .addColumn('id', 'text', (c) => c.notNull())
    // `collate "C"` on Postgres: day ranges compare byte by byte, whatever the database's locale.
    .addColumn('day', postgres ? sql`text collate "C"` : 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('screen', 'text', (c) => c.notNull())
    .addColumn('props', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('stack', 'text')
    .addPrimaryKeyConstraint('analytics_events_pk', ['id', 'day']);
  if (postgres) {
    await table.modifyEnd(sql`partition by range (day)`).execute();
    await sql`create table analytics_events_default partition of analytics_events default`.execute(db);
  } else {
    await table.execute();
  }
  // Daily and weekly actives, funnels and the error list read by day, then by user or kind.
  await db.schema.createIndex('analytics_events_day_user').on('analytics_events').columns(['day', 'user_id']).execute();
  await db.schema.createIndex('analytics_events_day_kind').on('analytics_events').columns(['day', 'kind']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('analytics_events').execute();
}
