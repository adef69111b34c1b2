import type { AnalyticsDashboard } from '../../../protocol/analytics';

/**
 * The dashboard as CSV files, one per table, for a spreadsheet (RFC 4180: quoted where needed,
 * CRLF line ends). A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR at its
 * start) is prefixed with an apostrophe: error messages and variant names come from clients.
 */

type Cell = string | number | null;

export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvOf(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const percent = (share: number) => Math.round(share * 1000) / 10;

export const dashboardCsv = {
  days: (figures: AnalyticsDashboard) =>
    csvOf(
      ['day', 'active users', 'weekly active users', 'sessions', 'events', 'errors'],
      figures.days.map((row) => [row.day, row.activeUsers, row.weeklyActiveUsers, row.sessions, row.events, row.errors]),
    ),
  funnel: (figures: AnalyticsDashboard) => {
    const first = figures.funnel[0]?.users ?? 0;
    return csvOf(['step', 'users', '% of first step'], figures.funnel.map((step) => [step.name, step.users, first ? percent(step.users / first) : null]));
  },
  retention: (figures: AnalyticsDashboard) => {
    const weeks = Math.max(0, ...figures.retention.map((cohort) => cohort.retained.length));
    return csvOf(
      ['week of sign-up', 'users', ...Array.from({ length: weeks }, (_, week) => `week ${week}`)],
      figures.retention.map((cohort) => [cohort.week, cohort.users, ...Array.from({ length: weeks }, (_, week) => cohort.retained[week] ?? null)]),
    );
  },
  experiments: (figures: AnalyticsDashboard) =>
    csvOf(
      ['flag', 'variant', 'exposed users', 'converted', 'conversion', 'rate %', 'low 95% %', 'high 95% %'],
      figures.experiments.flatMap((flag) =>
        flag.variants.map((row) => [flag.flag, row.variant, row.exposed, row.converted, flag.conversion, percent(row.rate), percent(row.low), percent(row.high)]),
      ),
    ),
  errors: (figures: AnalyticsDashboard) =>
    csvOf(
      ['message', 'count', 'users', 'last seen', 'screen', 'stack'],
      figures.errors.map((row) => [row.message, row.count, row.users, row.lastAt, row.screen, row.stack]),
    ),
} as const;

export type DashboardTable = keyof typeof dashboardCsv;
