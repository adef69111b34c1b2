import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsBatchAnswer, AnalyticsDashboard, type AnalyticsEvent } from '../../protocol';
import { registerUser, request, startTestServer, type TestServer, type TestUser } from './harness';

const DAY_MS = 86_400_000;

/**
 * A moment today (UTC) at least an hour after midnight: the dashboard tests date events up to 30
 * minutes back and expect them on today's row and in this week. Run just after midnight, "30
 * minutes ago" is yesterday (CI failed so at 00:16). Events up to a day ahead are accepted.
 */
function anHourIntoToday(): number {
  const now = Date.now();
  return Math.max(now, now - (now % DAY_MS) + 3_600_000);
}

function trackEvent(overrides: Partial<AnalyticsEvent> = {}): AnalyticsEvent {
  return {
    id: randomUUID(),
    kind: 'track',
    name: 'activity.join',
    props: { source: 'feed', capacity: 12, first: true },
    at: new Date().toISOString(),
    sessionId: randomUUID(),
    screen: '/activities/:activityId',
    ...overrides,
  } as AnalyticsEvent;
}

const send = (server: TestServer, user: TestUser, events: unknown[]) => request(server, 'POST', '/api/analytics/events', { token: user.token, body: { events } });
const storedRows = (server: TestServer, userId: string) =>
  server.app.database.db.selectFrom('analyticsEvents').selectAll().where('userId', '=', userId).orderBy('at').execute();

describe('analytics events', () => {
  let server: TestServer;
  let ana: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ USER_ANALYTICS_EVENTS_PER_MINUTE: '250', ANALYTICS_RETENTION_DAYS: '7' });
    ana = await registerUser(server, 'Ana');
  });
  afterAll(() => server.close());

  it('stores each event once under the sender’s user id, and a resent one changes nothing', async () => {
    expect((await request(server, 'POST', '/api/analytics/events', { body: { events: [trackEvent()] } })).status).toBe(401);
    const ben = await registerUser(server, 'Ben');
    const events = [
      trackEvent(),
      trackEvent({ kind: 'screen', name: 'screen', props: {} }),
      trackEvent({ kind: 'error', name: 'error', message: 'boom', stack: 'Error: boom\n    at Feed (feed.tsx:1:1)' } as Partial<AnalyticsEvent>),
    ];
    const first = await send(server, ben, events);
    expect(first.status).toBe(200);
    expect(AnalyticsBatchAnswer.parse(first.body)).toEqual({ stored: 3, duplicates: 0, dropped: 0 });
    // The same batch again (a lost answer), and one of its events beside a new one.
    expect((await send(server, ben, events)).body).toEqual({ stored: 0, duplicates: 3, dropped: 0 });
    expect((await send(server, ben, [events[0], trackEvent()])).body).toEqual({ stored: 1, duplicates: 1, dropped: 0 });

    const rows = await storedRows(server, ben.id);
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((row) => row.id)).size).toBe(4);
    const error = rows.find((row) => row.kind === 'error')!;
    expect(error).toMatchObject({ message: 'boom', stack: expect.stringContaining('feed.tsx'), screen: '/activities/:activityId' });
    expect(JSON.parse(rows.find((row) => row.kind === 'track')!.props)).toEqual({ source: 'feed', capacity: 12, first: true });
    // Identify is the user id only: neither the name nor the e-mail is anywhere in what was stored.
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain('Ben');
    expect(everything).not.toContain(ben.email);
  });

  it('refuses what does not fit the contract with 400 and the fields at fault, storing nothing', async () => {
    const cases: unknown[][] = [
      [{ ...trackEvent(), props: { nested: { deep: 1 } } }],
      [{ ...trackEvent(), props: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`key${i}`, i])) }],
      [{ ...trackEvent(), id: 'not-a-uuid' }],
      [{ ...trackEvent(), kind: 'error' }],
      [{ ...trackEvent(), email: 'ana@example.test' }],
      Array.from({ length: 101 }, () => trackEvent()),
      [],
    ];
    for (const events of cases) {
      const answer = await send(server, ana, events);
      expect(answer.status, JSON.stringify(events).slice(0, 120)).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'invalid_input', fields: expect.any(Object) });
    }
    expect((await request(server, 'POST', '/api/analytics/events', { token: ana.token, rawBody: '{"events":', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect(await storedRows(server, ana.id)).toHaveLength(0);
  });

  it('takes a beacon: the batch as text/plain with the access token inside, checked like a header', async () => {
    const event = trackEvent({ name: 'page.hidden' });
    const beacon = (accessToken: string) =>
      request(server, 'POST', '/api/analytics/events', { rawBody: JSON.stringify({ events: [event], accessToken }), headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    expect((await beacon('not-a-token')).status).toBe(401);
    const answer = await beacon(ana.token);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ stored: 1, duplicates: 0, dropped: 0 });
    expect((await storedRows(server, ana.id)).map((row) => row.id)).toEqual([event.id]);
    const garbled = await request(server, 'POST', '/api/analytics/events', { rawBody: 'events', headers: { 'content-type': 'text/plain' } });
    expect(garbled.status).toBe(400);
    expect(garbled.body.error.code).toBe('invalid_json');
  });

  it('drops events past the retention or dated more than a day ahead, and counts them', async () => {
    const cleo = await registerUser(server, 'Cleo');
    const now = Date.now();
    const answer = await send(server, cleo, [
      trackEvent({ at: new Date(now - 8 * DAY_MS).toISOString() }),
      trackEvent({ at: new Date(now + 2 * DAY_MS).toISOString() }),
      trackEvent({ at: new Date(now - 6 * DAY_MS).toISOString() }),
    ]);
    expect(answer.body).toEqual({ stored: 1, duplicates: 0, dropped: 2 });
  });

  it('limits events per user per minute: over it, 429 with Retry-After and nothing of the batch is stored', async () => {
    const dan = await registerUser(server, 'Dan');
    const batch = () => Array.from({ length: 100 }, () => trackEvent());
    expect((await send(server, dan, batch())).status).toBe(200);
    expect((await send(server, dan, batch())).status).toBe(200);
    const refused = await send(server, dan, batch());
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await storedRows(server, dan.id)).toHaveLength(200);
    // Another user's budget is their own.
    expect((await send(server, ana, [trackEvent()])).status).toBe(200);
  });

  it('prunes days past the retention (on Postgres, whole day partitions) and keeps the rest', async () => {
    const eve = await registerUser(server, 'Eve');
    const now = Date.now();
    await send(server, eve, [trackEvent({ at: new Date(now - 5 * DAY_MS).toISOString() }), trackEvent({ at: new Date(now).toISOString() })]);
    expect(await storedRows(server, eve.id)).toHaveLength(2);
    const postgres = server.config.database.kind === 'postgres';
    if (postgres) {
      // The event of five days ago went to the default partition (no past day gets one); today's to its own.
      const today = new Date(now).toISOString().slice(0, 10).replaceAll('-', '');
      const partitions = await sql<{ name: string }>`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent where p.relname = 'analytics_events'`.execute(server.app.database.db);
      expect(partitions.rows.map((row) => row.name)).toContain(`analytics_events_d${today}`);
      const inToday = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(`analytics_events_d${today}`)} where user_id = ${eve.id}`.execute(server.app.database.db);
      expect(inToday.rows[0]?.n).toBe(1);
    }
    // Three days on, the event of five days ago is eight days old: past the 7-day retention.
    server.advanceClock(3 * DAY_MS);
    const result = await server.app.maintenance.maintainAnalytics();
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    expect((await storedRows(server, eve.id)).map((row) => row.at)).toEqual([new Date(now).toISOString()]);
    server.advanceClock(7 * DAY_MS);
    const later = await server.app.maintenance.maintainAnalytics();
    if (postgres) expect(later.partitionsDropped).toBeGreaterThanOrEqual(1);
    expect(await storedRows(server, eve.id)).toHaveLength(0);
  });
});

describe('analytics dashboard', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('gives administrators daily and weekly users, sessions, events, the funnel and the errors; others get 403', async () => {
    const [admin, ana, ben, cleo] = [await registerUser(server, 'Admin'), await registerUser(server, 'Ana'), await registerUser(server, 'Ben'), await registerUser(server, 'Cleo')];
    server.config.adminUserIds.push(admin.id);
    const now = anHourIntoToday();
    const minutesAgo = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
    const session = randomUUID();
    const step = (name: string, minutes: number, sessionId = session) => trackEvent({ name, at: minutesAgo(minutes), sessionId, props: {} });
    const error = (message: string, minutes: number, sessionId = session) =>
      trackEvent({ kind: 'error', name: 'error', message, stack: `Error: ${message}\n    at Screen`, at: minutesAgo(minutes), sessionId, props: {} } as Partial<AnalyticsEvent>);
    await send(server, ana, [step('account.signup', 30), step('activity.join', 20), step('message.send', 10), error('TypeError: boom', 5), error('TypeError: boom', 4)]);
    await send(server, ben, [step('account.signup', 30, randomUUID()), step('activity.join', 25, randomUUID()), error('TypeError: boom', 3, randomUUID())]);
    // Cleo signed up and was also here three days ago.
    await send(server, cleo, [step('account.signup', 30, randomUUID()), trackEvent({ at: new Date(now - 3 * DAY_MS).toISOString() })]);

    expect((await request(server, 'GET', '/api/admin/analytics', { token: ana.token })).status).toBe(403);
    expect((await request(server, 'GET', '/api/admin/analytics?days=0', { token: admin.token })).status).toBe(400);
    const answer = await request(server, 'GET', '/api/admin/analytics?days=7', { token: admin.token });
    expect(answer.status).toBe(200);
    const dashboard = AnalyticsDashboard.parse(answer.body);
    expect(dashboard.days).toHaveLength(7);
    const today = dashboard.days.at(-1)!;
    expect(today).toMatchObject({ day: new Date(now).toISOString().slice(0, 10), activeUsers: 3, weeklyActiveUsers: 3, events: 9, errors: 3 });
    // Ana's five events share one session; Ben's three and Cleo's one are each their own.
    expect(today.sessions).toBe(1 + 3 + 1);
    expect(dashboard.days.at(-4)).toMatchObject({ activeUsers: 1, events: 1 });
    expect(dashboard.funnel).toEqual([
      { name: 'account.signup', users: 3 },
      { name: 'activity.join', users: 2 },
      { name: 'message.send', users: 1 },
    ]);
    expect(dashboard.errors).toEqual([
      expect.objectContaining({ message: 'TypeError: boom', count: 3, users: 2, stack: expect.stringContaining('at Screen') }),
    ]);
  });

  it('shows retention by week of sign-up, and per flag the users of each variant and who converted after exposure, with an interval', async () => {
    const [admin, dan, eve, fay, gus] = [
      await registerUser(server, 'Admin'),
      await registerUser(server, 'Dan'),
      await registerUser(server, 'Eve'),
      await registerUser(server, 'Fay'),
      await registerUser(server, 'Gus'),
    ];
    server.config.adminUserIds.push(admin.id);
    const now = anHourIntoToday();
    const at = (msAgo: number) => new Date(now - msAgo).toISOString();
    const event = (name: string, msAgo: number, props: Record<string, string> = {}) => trackEvent({ name, at: at(msAgo), sessionId: randomUUID(), props });
    const exposure = (variant: string, msAgo: number) => event('flag.exposure', msAgo, { flag: 'chat-reactions', variant });
    // Dan and Eve signed up 15 days ago; Dan came back a week later and today, Eve never did.
    await send(server, dan, [event('account.signup', 15 * DAY_MS), event('screen', 8 * DAY_MS), exposure('on', 20 * 60_000), event('message.send', 10 * 60_000)]);
    await send(server, eve, [event('account.signup', 15 * DAY_MS)]);
    // Fay saw "on" and sent nothing; Gus sent a message before he saw "off", which is no conversion.
    await send(server, fay, [exposure('on', 20 * 60_000), exposure('on', 5 * 60_000)]);
    await send(server, gus, [event('message.send', 25 * 60_000), exposure('off', 20 * 60_000)]);

    const dashboard = AnalyticsDashboard.parse((await request(server, 'GET', '/api/admin/analytics?days=30', { token: admin.token })).body);
    const cohort = dashboard.retention.find((row) => row.users === 2);
    expect(cohort).toBeDefined();
    expect(cohort!.retained[0]).toBe(2);
    expect(cohort!.retained[1]).toBe(1);
    // The current week is the last one listed: Dan is active in it.
    expect(cohort!.retained.at(-1)).toBe(1);
    expect(cohort!.retained.length).toBeGreaterThanOrEqual(3);

    const experiment = dashboard.experiments.find((row) => row.flag === 'chat-reactions');
    expect(experiment?.conversion).toBe('message.send');
    const [off, on] = experiment!.variants;
    expect(on).toMatchObject({ variant: 'on', exposed: 2, converted: 1, rate: 0.5 });
    expect(off).toMatchObject({ variant: 'off', exposed: 1, converted: 0, rate: 0 });
    expect(on!.low).toBeLessThan(0.5);
    expect(on!.high).toBeGreaterThan(0.5);
    expect(off!.low).toBe(0);
    expect(off!.high).toBeGreaterThan(0.5);
  });
});
