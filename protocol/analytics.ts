import { z } from 'zod';

export { ERROR_EVENT, FLAG_EXPOSURE_EVENT, FUNNEL_EVENTS, SCREEN_EVENT } from './analytics-names';

/**
 * First-party analytics: what a page reports about how Rally is used, and how it reports it.
 * Events name no person: the server attaches the signed-in user's id (identify is the user id
 * only), never an e-mail or a name, and props are a small flat record so nothing rich (a message's
 * text, a profile) fits in by accident.
 */

/** Events per request, and so per batch the page sends. */
export const MAX_EVENTS_PER_BATCH = 100;
export const MAX_PROPS = 20;
export const MAX_PROP_STRING = 200;
export const MAX_ERROR_MESSAGE = 1_000;
export const MAX_ERROR_STACK = 4_000;

/** A name a dashboard groups by: `activity.join`, `message.send`, `screen`. */
export const AnalyticsEventName = z.string().regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/, 'must be 1–64 letters, digits or _ . : -');

/** A small flat record: a few keys, each a short string, a finite number or a boolean. */
export const AnalyticsProps = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'keys are 1–40 letters, digits or _'), z.union([z.string().max(MAX_PROP_STRING), z.number().finite(), z.boolean()]))
  .refine((props) => Object.keys(props).length <= MAX_PROPS, `at most ${MAX_PROPS} props`);
export type AnalyticsProps = z.infer<typeof AnalyticsProps>;

const AnalyticsEventBase = {
  /** Made on the device once per event; the server stores an id once, so a resend is harmless. */
  id: z.uuid(),
  name: AnalyticsEventName,
  props: AnalyticsProps.default({}),
  /** When it happened, by the device's clock. */
  at: z.iso.datetime({ offset: true }),
  /** The analytics session: a new one after 30 minutes without an event. */
  sessionId: z.uuid(),
  /** The route pattern the page was on (`/activities/:activityId`), never a URL with ids in it. */
  screen: z.string().max(200),
};

export const AnalyticsTrackEvent = z.strictObject({ ...AnalyticsEventBase, kind: z.literal('track') });
export const AnalyticsScreenEvent = z.strictObject({ ...AnalyticsEventBase, kind: z.literal('screen') });
export const AnalyticsErrorEvent = z.strictObject({
  ...AnalyticsEventBase,
  kind: z.literal('error'),
  message: z.string().max(MAX_ERROR_MESSAGE),
  stack: z.string().max(MAX_ERROR_STACK).optional(),
});

export const AnalyticsEvent = z.discriminatedUnion('kind', [AnalyticsTrackEvent, AnalyticsScreenEvent, AnalyticsErrorEvent]);
export type AnalyticsEvent = z.infer<typeof AnalyticsEvent>;
export type AnalyticsEventKind = AnalyticsEvent['kind'];

/** `POST /api/analytics/events`: up to 100 events of the signed-in user. */
export const AnalyticsBatch = z.strictObject({ events: z.array(AnalyticsEvent).min(1).max(MAX_EVENTS_PER_BATCH) });
export type AnalyticsBatch = z.infer<typeof AnalyticsBatch>;

/**
 * The same batch sent with `navigator.sendBeacon` as a page goes away, when nothing else can send
 * it: a beacon cannot carry an Authorization header, so it carries the page's access token in its
 * body (sent as text/plain, which a beacon may send without asking first).
 */
export const AnalyticsBeaconBody = AnalyticsBatch.extend({ accessToken: z.string().min(1).max(4_000) });
export type AnalyticsBeaconBody = z.infer<typeof AnalyticsBeaconBody>;

/**
 * The answer: how many were stored now, how many the server already had (sent before: the page
 * counts them as delivered too), and how many it will not keep (older than the retention, or dated
 * more than a day ahead of the server's clock). Every event of the batch is settled either way.
 */
export const AnalyticsBatchAnswer = z.object({
  stored: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  dropped: z.number().int().min(0),
});
export type AnalyticsBatchAnswer = z.infer<typeof AnalyticsBatchAnswer>;

/** `GET /api/admin/analytics?days=`: the dashboard's figures over the last `days` days (today included). */
export const AnalyticsDashboardQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(366).default(30) });
export type AnalyticsDashboardQuery = z.infer<typeof AnalyticsDashboardQuery>;

const DayFigure = z.object({
  day: z.string(),
  /** Distinct users with an event that day. */
  activeUsers: z.number().int(),
  /** Distinct users with an event in the 7 days ending that day. */
  weeklyActiveUsers: z.number().int(),
  sessions: z.number().int(),
  events: z.number().int(),
  errors: z.number().int(),
});

/** One step of the funnel: users who reached it, having reached every step before it first. */
const FunnelStep = z.object({ name: z.string(), users: z.number().int() });

/** Errors grouped by message, most recent first, with the latest one's stack and screen. */
const ErrorGroup = z.object({
  message: z.string(),
  count: z.number().int(),
  users: z.number().int(),
  lastAt: z.string(),
  screen: z.string(),
  stack: z.string().nullable(),
});

/** Users who signed up in a week (Monday, UTC) and how many were active that week and each after. */
const RetentionCohort = z.object({
  week: z.string(),
  users: z.number().int(),
  /** [0] the sign-up week itself, [1] the week after, … up to the current week. */
  retained: z.array(z.number().int()),
});

/** One variant of a flag: users first exposed to it, those who converted after, and the rate's 95 % interval. */
const VariantFigure = z.object({
  variant: z.string(),
  exposed: z.number().int(),
  converted: z.number().int(),
  rate: z.number(),
  low: z.number(),
  high: z.number(),
});

/** The A/B view of one flag: exposures come from the page (FLAG_EXPOSURE_EVENT), conversion is an event name. */
const FlagExperiment = z.object({ flag: z.string(), conversion: z.string(), variants: z.array(VariantFigure) });

export const AnalyticsDashboard = z.object({
  from: z.string(),
  to: z.string(),
  days: z.array(DayFigure),
  funnel: z.array(FunnelStep),
  retention: z.array(RetentionCohort),
  experiments: z.array(FlagExperiment),
  errors: z.array(ErrorGroup),
});
export type AnalyticsDashboard = z.infer<typeof AnalyticsDashboard>;
