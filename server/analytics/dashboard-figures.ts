import type { AnalyticsDashboard } from '../../protocol/analytics';
import { nextDay } from './analytics-days';

/**
 * The dashboard's figures from rows the database hands over, purely: active users per day and
 * over the 7 days ending each day, the funnel, and errors grouped by message.
 */

/** Every day from `from` to `to`, both included (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = nextDay(day)) days.push(day);
  return days;
}

export interface DayTotals {
  day: string;
  sessions: number;
  events: number;
  errors: number;
}

/**
 * `activity` holds one (day, user) pair per user active that day, starting 6 days before `from`
 * so the first days' weekly figure is whole.
 */
export function dayFigures(days: readonly string[], activity: readonly { day: string; userId: string }[], totals: readonly DayTotals[]): AnalyticsDashboard['days'] {
  const usersByDay = new Map<string, Set<string>>();
  for (const { day, userId } of activity) {
    let users = usersByDay.get(day);
    if (!users) usersByDay.set(day, (users = new Set()));
    users.add(userId);
  }
  const totalsByDay = new Map(totals.map((row) => [row.day, row]));
  return days.map((day) => {
    const week = new Set<string>();
    let weekDay = day;
    for (let back = 0; back < 7; back++) {
      for (const user of usersByDay.get(weekDay) ?? []) week.add(user);
      weekDay = new Date(Date.parse(`${weekDay}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    }
    const total = totalsByDay.get(day);
    return {
      day,
      activeUsers: usersByDay.get(day)?.size ?? 0,
      weeklyActiveUsers: week.size,
      sessions: total?.sessions ?? 0,
      events: total?.events ?? 0,
      errors: total?.errors ?? 0,
    };
  });
}

/**
 * Users who reached each step, in order, each step no earlier than the one before: of those who
 * signed up, who then joined an activity, and then sent a message. `firsts` is each user's first
 * time of each step's event.
 */
export function funnelOf(steps: readonly string[], firsts: readonly { userId: string; name: string; firstAt: string }[]): AnalyticsDashboard['funnel'] {
  const byUser = new Map<string, Map<string, string>>();
  for (const { userId, name, firstAt } of firsts) {
    let times = byUser.get(userId);
    if (!times) byUser.set(userId, (times = new Map()));
    times.set(name, firstAt);
  }
  const counts = steps.map(() => 0);
  for (const times of byUser.values()) {
    let reachedAt = '';
    for (const [index, step] of steps.entries()) {
      const at = times.get(step);
      if (at === undefined || Date.parse(at) < Date.parse(reachedAt || at)) break;
      counts[index]!++;
      reachedAt = at;
    }
  }
  return steps.map((name, index) => ({ name, users: counts[index]! }));
}

export interface ErrorRow {
  message: string;
  userId: string | null;
  at: string;
  screen: string;
  stack: string | null;
}

/** Errors by message, the most recently seen first; `rows` newest first. */
export function errorGroups(rows: readonly ErrorRow[], limit: number): AnalyticsDashboard['errors'] {
  const groups = new Map<string, AnalyticsDashboard['errors'][number] & { userIds: Set<string> }>();
  for (const row of rows) {
    const group = groups.get(row.message);
    if (group) {
      group.count++;
      if (row.userId) group.userIds.add(row.userId);
      continue;
    }
    groups.set(row.message, { message: row.message, count: 1, users: 0, lastAt: row.at, screen: row.screen, stack: row.stack, userIds: new Set(row.userId ? [row.userId] : []) });
  }
  return [...groups.values()].slice(0, limit).map(({ userIds, ...group }) => ({ ...group, users: userIds.size }));
}

const DAY_MS = 86_400_000;

/** The Monday (UTC) of the week a day falls in: weeks of sign-up are ISO weeks. */
export function weekOf(day: string): string {
  const time = Date.parse(`${day.slice(0, 10)}T00:00:00Z`);
  const sinceMonday = (new Date(time).getUTCDay() + 6) % 7;
  return new Date(time - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Retention by week of sign-up: for each week in which users signed up (their first sign-up
 * event), how many of them were active (any event) in that week and in each week after it, up to
 * the week of `to`. `retained[0]` is the sign-up week itself; later weeks not yet reached are absent.
 */
export function retentionByWeek(
  signUps: readonly { userId: string; firstAt: string }[],
  activity: readonly { day: string; userId: string }[],
  to: string,
): AnalyticsDashboard['retention'] {
  const cohortOf = new Map<string, string>();
  for (const { userId, firstAt } of signUps) cohortOf.set(userId, weekOf(firstAt));
  const lastWeek = weekOf(to);
  const weeksBetween = (from: string, until: string) => Math.round((Date.parse(until) - Date.parse(from)) / (7 * DAY_MS));
  const cohorts = new Map<string, { users: Set<string>; retained: Set<string>[] }>();
  for (const [userId, week] of cohortOf) {
    let cohort = cohorts.get(week);
    if (!cohort) {
      cohort = { users: new Set(), retained: Array.from({ length: weeksBetween(week, lastWeek) + 1 }, () => new Set<string>()) };
      cohorts.set(week, cohort);
    }
    cohort.users.add(userId);
  }
  for (const { day, userId } of activity) {
    const week = cohortOf.get(userId);
    if (week === undefined) continue;
    const offset = weeksBetween(week, weekOf(day));
    if (offset >= 0) cohorts.get(week)!.retained[offset]?.add(userId);
  }
  return [...cohorts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([week, cohort]) => ({ week, users: cohort.users.size, retained: cohort.retained.map((users) => users.size) }));
}

/** The 95 % Wilson score interval of a proportion: sound for small counts and for 0 % or 100 %. */
export function wilsonInterval(successes: number, trials: number, z = 1.96): { low: number; high: number } {
  if (trials === 0) return { low: 0, high: 0 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * An A/B view per flag: users exposed to each variant (by their first exposure, as a user keeps
 * a variant while the weights stay) and how many of them converted afterwards, with the rate's
 * 95 % interval. `lastConversionAt` is each user's latest conversion event in the range.
 */
export function experimentFigures(
  exposures: readonly { userId: string; flag: string; variant: string; at: string }[],
  lastConversionAt: ReadonlyMap<string, string>,
  conversion: string,
): AnalyticsDashboard['experiments'] {
  const firstExposure = new Map<string, Map<string, { variant: string; at: string }>>();
  for (const exposure of exposures) {
    let users = firstExposure.get(exposure.flag);
    if (!users) firstExposure.set(exposure.flag, (users = new Map()));
    const seen = users.get(exposure.userId);
    if (!seen || Date.parse(exposure.at) < Date.parse(seen.at)) users.set(exposure.userId, { variant: exposure.variant, at: exposure.at });
  }
  return [...firstExposure.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([flag, users]) => {
      const byVariant = new Map<string, { exposed: number; converted: number }>();
      for (const [userId, { variant, at }] of users) {
        let figure = byVariant.get(variant);
        if (!figure) byVariant.set(variant, (figure = { exposed: 0, converted: 0 }));
        figure.exposed++;
        const converted = lastConversionAt.get(userId);
        if (converted !== undefined && Date.parse(converted) >= Date.parse(at)) figure.converted++;
      }
      const variants = [...byVariant.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([variant, { exposed, converted }]) => ({ variant, exposed, converted, rate: exposed ? converted / exposed : 0, ...wilsonInterval(converted, exposed) }));
      return { flag, conversion, variants };
    });
}
