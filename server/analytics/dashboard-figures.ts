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
