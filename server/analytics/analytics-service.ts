import type { AnalyticsBatchAnswer, AnalyticsEvent } from '../../protocol/analytics';
import type { Db } from '../db/connect';
import type { AnalyticsEventsTable } from '../db/schema';
import { isWithinRetention, utcDayOf } from './analytics-days';

/**
 * Stores what pages report. Each event is stored once by its id (a resend, a beacon and then the
 * regular send, the worker and the page racing: all find it there and change nothing), under the
 * user whose token sent it: identify is the user id, and nothing else about them is kept.
 */
export interface AnalyticsService {
  record(userId: string, events: readonly AnalyticsEvent[]): Promise<AnalyticsBatchAnswer>;
}

export function createAnalyticsService(deps: { db: Db; retentionDays: number; now: () => Date }): AnalyticsService {
  return {
    async record(userId, events) {
      const now = deps.now();
      const receivedAt = now.toISOString();
      const kept = events.filter((event) => isWithinRetention(event.at, now, deps.retentionDays));
      const rows: AnalyticsEventsTable[] = kept.map((event) => ({
        id: event.id,
        day: utcDayOf(event.at),
        at: event.at,
        receivedAt,
        userId,
        sessionId: event.sessionId,
        kind: event.kind,
        name: event.name,
        screen: event.screen,
        props: JSON.stringify(event.props),
        message: event.kind === 'error' ? event.message : null,
        stack: event.kind === 'error' ? (event.stack ?? null) : null,
      }));
      let stored = 0;
      if (rows.length > 0) {
        // No conflict target: on Postgres a partitioned table's key includes the day, and either
        // way any key conflict means "already stored".
        const result = await deps.db.insertInto('analyticsEvents').values(rows).onConflict((conflict) => conflict.doNothing()).executeTakeFirst();
        stored = Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      return { stored, duplicates: rows.length - stored, dropped: events.length - rows.length };
    },
  };
}
