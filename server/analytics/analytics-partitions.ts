import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { dayOfPartition, nextDay, oldestKeptDay, partitionDays, partitionNameOf } from './analytics-days';

/**
 * Housekeeping of the events table: the day partitions on Postgres, and the retention on both
 * databases. Run at start and on the pruning schedule.
 *
 * On Postgres a day partition is made before its day can receive events (a few days ahead), so the
 * default partition stays empty in practice: a partition cannot be made for a day the default one
 * already holds rows of, which is why no partition is ever made for a past day that has none.
 * Pruning drops whole partitions of days past the retention (no row-by-row delete, no bloat), and
 * deletes what the default partition holds of those days.
 */
export async function maintainAnalyticsEvents(db: Db, dialect: 'sqlite' | 'postgres', retentionDays: number, now: Date): Promise<{ deleted: number; partitionsDropped: number }> {
  const oldestDay = oldestKeptDay(now, retentionDays);
  if (dialect === 'sqlite') {
    const deleted = await db.deleteFrom('analyticsEvents').where('day', '<', oldestDay).executeTakeFirst();
    return { deleted: Number(deleted.numDeletedRows), partitionsDropped: 0 };
  }
  const existing = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where p.relname = 'analytics_events'`.execute(db);
  const present = new Set(existing.rows.map((row) => row.name));
  let partitionsDropped = 0;
  for (const name of present) {
    const day = dayOfPartition(name);
    if (day !== null && day < oldestDay) {
      await sql`drop table if exists ${sql.id(name)}`.execute(db);
      partitionsDropped++;
    }
  }
  const today = partitionDays(now, 1)[0]!;
  for (const day of partitionDays(now, retentionDays)) {
    // Only today and later: an older day without a partition is served by the default one.
    if (day < today || present.has(partitionNameOf(day))) continue;
    await sql`create table if not exists ${sql.id(partitionNameOf(day))} partition of analytics_events for values from (${sql.lit(day)}) to (${sql.lit(nextDay(day))})`.execute(db);
  }
  const deleted = await sql`delete from analytics_events_default where day < ${oldestDay}`.execute(db);
  return { deleted: Number(deleted.numAffectedRows ?? 0), partitionsDropped };
}
