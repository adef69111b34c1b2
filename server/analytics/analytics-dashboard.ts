import { FLAG_EXPOSURE_EVENT, FUNNEL_EVENTS, type AnalyticsDashboard } from '../../protocol/analytics';
import type { Db } from '../db/connect';
import { AppError } from '../http/app-error';
import { oldestKeptDay, utcDayOf } from './analytics-days';
import { dayFigures, daysBetween, errorGroups, experimentFigures, funnelOf, retentionByWeek } from './dashboard-figures';

/** Error rows read for the grouping; the list shows the 50 most recent messages among them. */
const ERROR_ROWS_READ = 2_000;
const ERROR_GROUPS_SHOWN = 50;
const FUNNEL_STEPS = [FUNNEL_EVENTS.signUp, FUNNEL_EVENTS.join, FUNNEL_EVENTS.message];
/** What an A/B test converts to: the funnel's last step, sending a message. */
const EXPERIMENT_CONVERSION = FUNNEL_EVENTS.message;
/** Exposure rows read for the A/B view (one per flag, variant and page load). */
const EXPOSURE_ROWS_READ = 100_000;

/**
 * The administrators' figures (ADMIN_USER_IDS). The database does the counting by day; the rules
 * that span days or rows (weekly users, the funnel's order, error groups) are dashboard-figures.ts.
 * Every query is bounded by day, so on Postgres it reads only the partitions of the range.
 */
export interface AnalyticsDashboardService {
  figures(viewer: { id: string }, days: number): Promise<AnalyticsDashboard>;
}

export function createAnalyticsDashboard(deps: { db: Db; adminUserIds: readonly string[]; now: () => Date }): AnalyticsDashboardService {
  const { db } = deps;
  return {
    async figures(viewer, dayCount) {
      if (!deps.adminUserIds.includes(viewer.id)) throw new AppError('forbidden', 'Only an administrator may read analytics');
      const now = deps.now();
      const to = utcDayOf(now);
      const from = oldestKeptDay(now, dayCount);
      const weekBefore = oldestKeptDay(now, dayCount + 6);

      const activity = await db
        .selectFrom('analyticsEvents')
        .select(['day', 'userId'])
        .distinct()
        .where('day', '>=', weekBefore)
        .where('day', '<=', to)
        .where('userId', 'is not', null)
        .execute();
      const totals = await db
        .selectFrom('analyticsEvents')
        .select((eb) => [
          'day',
          eb.fn.count<number>('sessionId').distinct().as('sessions'),
          eb.fn.countAll<number>().as('events'),
          // Counts the ids of error events (null otherwise): no literal, whose type Postgres would have to guess.
          eb.fn.count<number>(eb.case().when('kind', '=', 'error').then(eb.ref('id')).end()).as('errors'),
        ])
        .where('day', '>=', from)
        .where('day', '<=', to)
        .groupBy('day')
        .execute();
      const firsts = await db
        .selectFrom('analyticsEvents')
        .select((eb) => ['userId', 'name', eb.fn.min('at').as('firstAt')])
        .where('day', '>=', from)
        .where('day', '<=', to)
        .where('name', 'in', FUNNEL_STEPS)
        .where('userId', 'is not', null)
        .groupBy(['userId', 'name'])
        .execute();
      // Activity over the whole range (not only the week before it) for the weeks after sign-up.
      const activeDays = await db
        .selectFrom('analyticsEvents')
        .select(['day', 'userId'])
        .distinct()
        .where('day', '>=', from)
        .where('day', '<=', to)
        .where('userId', 'is not', null)
        .execute();
      const exposures = await db
        .selectFrom('analyticsEvents')
        .select(['userId', 'props', 'at'])
        .where('day', '>=', from)
        .where('day', '<=', to)
        .where('name', '=', FLAG_EXPOSURE_EVENT)
        .where('userId', 'is not', null)
        .orderBy('at')
        .limit(EXPOSURE_ROWS_READ)
        .execute();
      const conversions = await db
        .selectFrom('analyticsEvents')
        .select((eb) => ['userId', eb.fn.max('at').as('lastAt')])
        .where('day', '>=', from)
        .where('day', '<=', to)
        .where('name', '=', EXPERIMENT_CONVERSION)
        .where('userId', 'is not', null)
        .groupBy('userId')
        .execute();
      const errors = await db
        .selectFrom('analyticsEvents')
        .select(['message', 'userId', 'at', 'screen', 'stack'])
        .where('day', '>=', from)
        .where('day', '<=', to)
        .where('kind', '=', 'error')
        .orderBy('at', 'desc')
        .limit(ERROR_ROWS_READ)
        .execute();

      return {
        from,
        to,
        days: dayFigures(
          daysBetween(from, to),
          activity.map((row) => ({ day: row.day, userId: row.userId! })),
          totals.map((row) => ({ day: row.day, sessions: Number(row.sessions), events: Number(row.events), errors: Number(row.errors) })),
        ),
        funnel: funnelOf(FUNNEL_STEPS, firsts.map((row) => ({ userId: row.userId!, name: row.name, firstAt: String(row.firstAt) }))),
        retention: retentionByWeek(
          firsts.filter((row) => row.name === FUNNEL_EVENTS.signUp).map((row) => ({ userId: row.userId!, firstAt: String(row.firstAt) })),
          activeDays.map((row) => ({ day: row.day, userId: row.userId! })),
          to,
        ),
        experiments: experimentFigures(
          exposures.flatMap((row) => exposureOf(row.userId!, row.props, row.at)),
          new Map(conversions.map((row) => [row.userId!, String(row.lastAt)])),
          EXPERIMENT_CONVERSION,
        ),
        errors: errorGroups(errors.map((row) => ({ ...row, message: row.message ?? '' })), ERROR_GROUPS_SHOWN),
      };
    },
  };
}

/** An exposure event's flag and variant, from its props as stored (JSON); none if they are missing. */
function exposureOf(userId: string, props: string, at: string): { userId: string; flag: string; variant: string; at: string }[] {
  try {
    const { flag, variant } = JSON.parse(props) as Record<string, unknown>;
    return typeof flag === 'string' && (typeof variant === 'string' || typeof variant === 'boolean' || typeof variant === 'number')
      ? [{ userId, flag, variant: String(variant), at }]
      : [];
  } catch {
    return [];
  }
}
