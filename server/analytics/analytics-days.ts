/**
 * Which days the server keeps events for, purely. An event belongs to the UTC day of its own time
 * (`at`, the device's clock), so a resend lands on the same day and is recognised. The server keeps
 * days from the retention's first (today minus the retention) up to tomorrow; an event dated
 * further ahead than a day comes from a clock that is wrong, and one older than the retention
 * would be pruned at once.
 */

const DAY_MS = 86_400_000;
/** How far ahead of the server's clock an event may be dated (devices' clocks drift). */
export const MAX_CLOCK_AHEAD_MS = DAY_MS;
/** Postgres day partitions are made this many days ahead, so an accepted event always has one. */
export const PARTITION_DAYS_AHEAD = 3;

/** The UTC day (YYYY-MM-DD) of an ISO time with any offset. */
export function utcDayOf(at: string | Date): string {
  return (typeof at === 'string' ? new Date(at) : at).toISOString().slice(0, 10);
}

/** The oldest day still kept: events of earlier days are pruned, and refused on arrival. */
export function oldestKeptDay(now: Date, retentionDays: number): string {
  return utcDayOf(new Date(now.getTime() - (retentionDays - 1) * DAY_MS));
}

export function isWithinRetention(at: string, now: Date, retentionDays: number): boolean {
  const time = Date.parse(at);
  return utcDayOf(at) >= oldestKeptDay(now, retentionDays) && time <= now.getTime() + MAX_CLOCK_AHEAD_MS;
}

/** Every day a partition should exist for now: the kept days and a few ahead. */
export function partitionDays(now: Date, retentionDays: number): string[] {
  const days: string[] = [];
  for (let offset = -(retentionDays - 1); offset <= PARTITION_DAYS_AHEAD; offset++) days.push(utcDayOf(new Date(now.getTime() + offset * DAY_MS)));
  return days;
}

const PARTITION_PREFIX = 'analytics_events_d';

export function partitionNameOf(day: string): string {
  return `${PARTITION_PREFIX}${day.replaceAll('-', '')}`;
}

/** The day a partition holds, or null for a table that is not a day partition (the default one). */
export function dayOfPartition(name: string): string | null {
  const match = /^analytics_events_d(\d{4})(\d{2})(\d{2})$/.exec(name);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

export function nextDay(day: string): string {
  return utcDayOf(new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS));
}
