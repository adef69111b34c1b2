import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerToClientEvents } from '../../protocol';
import { connectRedis, type RedisConnection } from '../../server/scale/redis-connection';
import {
  createThrowawayPostgresDatabase,
  deleteRedisKeys,
  futureInstant,
  registerUser,
  request,
  startTestServer,
  TEST_REDIS_URL,
  type ClientSocket,
  type TestServer,
  type TestUser,
  useSockets,
} from './harness';

/**
 * Two Rally processes (in-process here) on one Postgres database and one Redis, as behind a load
 * balancer: whichever process a request lands on, every client hears of it and limits hold in total.
 */
describe('several processes serving one Rally', () => {
  const adminUrl = process.env.RALLY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  // Requests of this run come from an address of their own, so that rate-limit counts left in
  // Redis by an earlier run (or by a run beside this one) cannot add to ours.
  const clientAddress = { 'x-forwarded-for': `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}` };
  let database: { url: string; drop: () => Promise<void> };
  let redis: RedisConnection;
  let first: TestServer;
  let second: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  const sockets = useSockets();
  const leftKeys = [`rally:ratelimit:auth:*:ip:${clientAddress['x-forwarded-for']}`];

  beforeAll(async () => {
    database = await createThrowawayPostgresDatabase(adminUrl);
    redis = await connectRedis(TEST_REDIS_URL);
    // Processes of one Rally share their secrets: a token signed by one is honoured by the other.
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      JWT_SECRET: randomBytes(48).toString('base64url'),
      AUTH_RATE_LIMIT_PER_MINUTE: '4',
      TRUST_PROXY: '1',
    };
    // One after the other, so the first migrates the database and the second finds it ready.
    first = await startTestServer(env, { databaseUrl: database.url });
    second = await startTestServer(env, { databaseUrl: database.url });
    ana = await registerUser(first, 'Ana', { headers: clientAddress });
    ben = await registerUser(second, 'Ben', { headers: clientAddress });
    for (const user of [ana, ben]) leftKeys.push(`rally:ratelimit:auth:*:account:${user.email}`, `rally:presence:*:${user.id}`);
  });
  afterAll(async () => {
    await second.close();
    await first.close();
    await database.drop();
    // The apps keep their keys under Rally's own prefixes; take back what this run left there.
    for (const pattern of leftKeys) await deleteRedisKeys(redis.client, pattern);
    await redis.close();
  });

  const connectTo = (server: TestServer, user: TestUser) => sockets.connect(server, user);

  it('delivers a public activity created on one process to a client of the other', async () => {
    const benSocket = await connectTo(second, ben);
    const title = `Picnic ${randomBytes(3).toString('hex')}`;
    const heard = createdEventTitled(benSocket, title);
    const created = await request(first, 'POST', '/api/activities', { token: ana.token, body: { title, startsAt: futureInstant() } });
    expect(created.status).toBe(201);
    expect((await heard).activity).toMatchObject({ id: created.body.id, title, ownerId: ana.id });
  });

  it("reaches a user's own room on the other process for a private activity", async () => {
    const benSocket = await connectTo(second, ben);
    const title = `Invite only ${randomBytes(3).toString('hex')}`;
    const created = await request(first, 'POST', '/api/activities', {
      token: ana.token,
      body: { title, startsAt: futureInstant(), visibility: 'private' },
    });
    expect(created.status).toBe(201);
    const invited = createdEventTitled(benSocket, title);
    await request(first, 'POST', `/api/activities/${created.body.id}/invites`, { token: ana.token, body: { userId: ben.id } });
    expect((await invited).activity.id).toBe(created.body.id);
  });

  it('counts sign-in attempts against one limit, whichever process they reach', async () => {
    const email = `target.${randomBytes(4).toString('hex')}@example.test`;
    leftKeys.push(`rally:ratelimit:auth:*:account:${email}`);
    // Each attempt from another address of this run's own, so no address reaches the limit: only
    // the account's count, shared through Redis, can refuse the fifth.
    const attemptAddress = (n: number) => `${clientAddress['x-forwarded-for']}:${n}`;
    leftKeys.push(`rally:ratelimit:auth:*:ip:${clientAddress['x-forwarded-for']}:*`);
    const statuses: number[] = [];
    const servers = [first, second, first, second, first];
    for (const [attempt, server] of servers.entries()) {
      const response = await request(server, 'POST', '/api/auth/login', {
        body: { email, password: 'guess number x' },
        headers: { 'x-forwarded-for': attemptAddress(attempt) },
      });
      statuses.push(response.status);
    }
    // Alone, neither process would have seen more than three attempts.
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });

  it('shares presence between processes', async () => {
    await first.app.presence.set(ana.id, 'connection-on-first', 'online');
    expect(await second.app.presence.get([ana.id])).toEqual([{ userId: ana.id, status: 'online', lastSeenAt: null }]);
    const gone = await first.app.presence.remove(ana.id, 'connection-on-first');
    expect(await second.app.presence.get([ana.id])).toEqual([gone]);
    expect(gone.status).toBe('offline');
  });
});

/**
 * The next `activity:created` for the activity titled `title`. Broadcasts travel through the
 * shared Redis, so another test run's activities may pass by too; they are ignored.
 */
function createdEventTitled(socket: ClientSocket, title: string, timeoutMs = 5000): Promise<Parameters<ServerToClientEvents['activity:created']>[0]> {
  return new Promise((resolve, reject) => {
    const listener: ServerToClientEvents['activity:created'] = (payload) => {
      if (payload.activity.title !== title) return;
      clearTimeout(timer);
      socket.off('activity:created', listener);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      socket.off('activity:created', listener);
      reject(new Error(`no activity:created for "${title}" within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('activity:created', listener);
  });
}
