import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPushData } from '../../../protocol';
import { startPushService, type PushServiceStandIn } from '../../support/push-service';
import { createThrowawayPostgresDatabase, startTestServer, TEST_REDIS_URL, type TestServer } from '../harness';
import { activityWith, registerUser, registerWebPushDevice, sendMessage } from './push-world';

const PUSHES = 200;

/**
 * Two processes of one Rally on Postgres share the push outbox: both dispatchers claim from it at
 * once (FOR UPDATE SKIP LOCKED), each takes a part, and no push is sent twice.
 */
describe('two processes sharing the push queue on Postgres', () => {
  const adminUrl = process.env.RALLY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  let pushService: PushServiceStandIn;
  let database: { url: string; drop: () => Promise<void> };
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    pushService = await startPushService();
    database = await createThrowawayPostgresDatabase(adminUrl);
    // Dispatchers off while the pushes are queued, then both started at once.
    const shared = { REDIS_URL: TEST_REDIS_URL, JWT_SECRET: randomBytes(48).toString('base64url'), PUSH_DISPATCHER: 'off', PUSH_BATCH_SIZE: '20', PUSH_CONCURRENCY: '4' };
    first = await startTestServer(shared, { databaseUrl: database.url, pushTransport: { webPushAgent: pushService.agent } });
    second = await startTestServer(shared, { databaseUrl: database.url, pushTransport: { webPushAgent: pushService.agent } });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await database?.drop();
    await pushService?.close();
  });

  it('delivers 200 pushes each exactly once, the work shared by both', { timeout: 90_000 }, async () => {
    const [ana, ben] = [await registerUser(first, 'Ana'), await registerUser(first, 'Ben')];
    const room = await activityWith(first, ana, [ben]);
    const subscription = pushService.subscribe();
    await registerWebPushDevice(first, ben, subscription.subscription);
    const sent: string[] = [];
    for (let i = 0; i < PUSHES; i++) sent.push(await sendMessage(i % 2 === 0 ? first : second, ana, room, `message ${i}`));

    first.app.pushDispatcher.start();
    second.app.pushDispatcher.start();
    await pushService.waitForDelivered(PUSHES, 60_000, subscription.id);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const ids = pushService.delivered(subscription.id).map((push) => readPushData(push.payload)?.message?.id);
    expect(ids).toHaveLength(PUSHES);
    expect(new Set(ids).size).toBe(PUSHES);
    expect([...ids].sort()).toEqual([...sent].sort());
    const rows = await first.app.database.db.selectFrom('pushOutbox').select(['status', 'claimedBy']).execute();
    expect(rows.every((row) => row.status === 'sent')).toBe(true);
    const claimers = new Set(rows.map((row) => row.claimedBy));
    expect(claimers.size, 'both processes claimed a part').toBe(2);
  });
});
