import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminMetrics, MUTED_FOREVER, PROTOCOL_VERSION, readPushData } from '../../../protocol';
import { startPushService, type PushServiceStandIn } from '../../support/push-service';
import { connectAs, request, startTestServer, waitForConnect, type TestServer, type TestUser } from '../harness';
import { activityWith, devicesOf, mutate, outboxOf, registerUser, registerWebPushDevice, sendMessage, settled } from './push-world';

/**
 * Web Push end to end: the real app sends real encrypted requests (web-push, VAPID) to a local
 * RFC 8030 push service, which decrypts them with the subscription's keys.
 */
describe('Web Push delivery', () => {
  let pushService: PushServiceStandIn;
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  let room: string;

  beforeAll(async () => {
    pushService = await startPushService();
    server = await startTestServer({ PUSH_POLL_INTERVAL_MS: '50', PUSH_RETRY_BASE_MS: '100' }, { pushTransport: { webPushAgent: pushService.agent } });
    [ana, ben] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben')];
    room = await activityWith(server, ana, [ben], 'Lake swim');
  });
  afterAll(async () => {
    await server?.close();
    await pushService?.close();
  });

  it('delivers a message as exactly the PushPayload the worker reads, with its urgency, TTL and topic, and none to the sender', async () => {
    const bens = pushService.subscribe();
    const anas = pushService.subscribe();
    const benDevice = await registerWebPushDevice(server, ben, bens.subscription);
    await registerWebPushDevice(server, ana, anas.subscription);
    const messageId = await sendMessage(server, ana, room, 'See you at the lake at six');

    const [push] = await pushService.waitForDelivered(1, 10_000, bens.id);
    expect(push).toBeDefined();
    const payload = readPushData(push!.payload);
    expect(payload, JSON.stringify(push!.payload)).not.toBeNull();
    expect(payload).toEqual(push!.payload);
    expect(payload).toMatchObject({
      kind: 'message',
      userId: ben.id,
      title: 'Lake swim',
      body: 'Ana: See you at the lake at six',
      url: `/chat/${room}`,
      tag: `chat:${room}`,
      conversationId: room,
      senderName: 'Ana',
      message: { id: messageId, body: 'See you at the lake at six', senderId: ana.id },
    });
    expect(push).toMatchObject({ urgency: 'high', ttl: '86400', contentEncoding: 'aes128gcm' });
    expect(push!.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await settled(server, benDevice)).map((row) => row.status)).toEqual(['sent']);
    expect(pushService.received().filter((received) => received.subscriptionId === anas.id)).toHaveLength(0);
  });

  it('removes a device its push service says is gone (410), and sends it nothing more', async () => {
    const bens = pushService.subscribe();
    const device = await registerWebPushDevice(server, ben, bens.subscription);
    pushService.script(bens.id, { status: 410 });
    await sendMessage(server, ana, room, 'Anyone there?');
    expect((await settled(server, device)).map((row) => row.status)).toEqual(['expired']);
    expect(await devicesOf(server, ben)).not.toContain(device);
    await sendMessage(server, ana, room, 'Hello?');
    expect(await outboxOf(server, device)).toHaveLength(1);
  });

  it('retries a 429 after its Retry-After and a 500 with backoff, and delivers each once', async () => {
    const bens = pushService.subscribe();
    const device = await registerWebPushDevice(server, ben, bens.subscription);
    pushService.script(bens.id, { status: 429, retryAfter: '1' }, { status: 500 });
    const started = Date.now();
    await sendMessage(server, ana, room, 'Third time lucky');
    const rows = await settled(server, device);
    expect(rows.map((row) => [row.status, row.attempts])).toEqual([['sent', 3]]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(pushService.delivered(bens.id)).toHaveLength(1);
    expect(pushService.received().filter((push) => push.subscriptionId === bens.id).map((push) => push.status)).toEqual([429, 500, 201]);
  });

  it('pushes nothing to a device with a live socket of its user, and again once it is gone', async () => {
    const bens = pushService.subscribe();
    const device = await registerWebPushDevice(server, ben, bens.subscription);
    const socket = connectAs(server, { token: ben.token, protocolVersion: PROTOCOL_VERSION, deviceId: device });
    await waitForConnect(socket);
    await sendMessage(server, ana, room, 'You are here anyway');
    expect((await settled(server, device)).map((row) => row.status)).toEqual(['skipped-live']);
    socket.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sendMessage(server, ana, room, 'Now you are not');
    expect((await settled(server, device)).map((row) => row.status)).toEqual(['skipped-live', 'sent']);
    expect(pushService.delivered(bens.id).map((push) => readPushData(push.payload)?.message?.body)).toEqual(['Now you are not']);
  });

  it('pushes nothing to a user who muted the conversation, or turned message pushes off', async () => {
    const cleo = await registerUser(server, 'Cleo');
    const dan = await registerUser(server, 'Dan');
    const party = await activityWith(server, ana, [cleo, dan]);
    const [cleos, dans] = [pushService.subscribe(), pushService.subscribe()];
    const [cleoDevice, danDevice] = [await registerWebPushDevice(server, cleo, cleos.subscription), await registerWebPushDevice(server, dan, dans.subscription)];
    expect((await mutate(server, cleo, 'conversation.mute', { conversationId: party, mutedUntil: MUTED_FOREVER })).status).toBe(200);
    expect((await mutate(server, dan, 'settings.push', { push: { messages: false } })).status).toBe(200);
    await sendMessage(server, ana, party, 'Quiet please');
    expect(await outboxOf(server, cleoDevice)).toHaveLength(0);
    expect(await outboxOf(server, danDevice)).toHaveLength(0);
    // Unmuted, Cleo hears the next one; Dan still wants none.
    expect((await mutate(server, cleo, 'conversation.mute', { conversationId: party, mutedUntil: null })).status).toBe(200);
    await sendMessage(server, ana, party, 'Loud again');
    expect(await pushService.waitForDelivered(1, 10_000, cleos.id)).toHaveLength(1);
    expect(await outboxOf(server, danDevice)).toHaveLength(0);
  });

  it('pushes nothing to a device whose session signed out', async () => {
    const eve = await registerUser(server, 'Eve');
    const party = await activityWith(server, ana, [eve]);
    const eves = pushService.subscribe();
    const device = await registerWebPushDevice(server, eve, eves.subscription);
    const signedOut = await request(server, 'POST', '/api/auth/logout', { headers: { cookie: eve.refreshCookie, origin: server.url } });
    expect(signedOut.status).toBe(204);
    expect(await devicesOf(server, await relogin(eve))).not.toContain(device);
    await sendMessage(server, ana, party, 'Gone home?');
    expect(await outboxOf(server, device)).toHaveLength(0);
    expect(pushService.received().filter((push) => push.subscriptionId === eves.id)).toHaveLength(0);
  });

  it('pushes an invitation, an update and an announcement with their notifications, normal urgency, to /activities/<id>', async () => {
    const finn = await registerUser(server, 'Finn');
    const finns = pushService.subscribe();
    await registerWebPushDevice(server, finn, finns.subscription);
    const party = await activityWith(server, ana, [], 'Board games');
    expect((await request(server, 'POST', `/api/activities/${party}/invites`, { token: ana.token, body: { userId: finn.id } })).status).toBe(201);
    expect((await request(server, 'POST', `/api/activities/${party}/join`, { token: finn.token })).status).toBe(200);
    expect((await request(server, 'PATCH', `/api/activities/${party}`, { token: ana.token, body: { location: 'At Ana\'s' } })).status).toBe(200);
    await sendMessage(server, ana, party, 'Bring snacks', 'announcement');
    const pushes = await pushService.waitForDelivered(3, 10_000, finns.id);
    const payloads = pushes.map((push) => readPushData(push.payload));
    expect(payloads.map((payload) => payload?.kind)).toEqual(['invitation', 'activity-update', 'announcement']);
    for (const payload of payloads) {
      expect(payload).toMatchObject({ userId: finn.id, title: 'Board games', url: `/activities/${party}`, notification: { activityId: party, actorId: ana.id } });
      expect(payload?.tag).toBe(`notification:${payload?.notification?.id}`);
    }
    expect(pushes.map((push) => push.urgency)).toEqual(['normal', 'normal', 'normal']);
  });

  it('counts the outcomes in the admin metrics, from the outbox itself', async () => {
    server.config.adminUserIds.push(ana.id);
    const metrics = AdminMetrics.parse((await request(server, 'GET', '/api/admin/metrics', { token: ana.token })).body).push;
    const rows = await server.app.database.db.selectFrom('pushOutbox').select('status').execute();
    const count = (status: string) => rows.filter((row) => row.status === status).length;
    expect(metrics).toEqual({ queued: 0, sent: count('sent'), failed: 0, expired: count('expired'), skippedLive: count('skipped-live'), oldestPendingAgeMs: null });
    expect(metrics.sent).toBeGreaterThanOrEqual(6);
    expect(metrics.expired).toBe(1);
    expect(metrics.skippedLive).toBe(1);
  });

  async function relogin(user: TestUser): Promise<TestUser> {
    const response = await request(server, 'POST', '/api/auth/login', { body: { email: user.email, password: user.password } });
    return { ...user, token: response.body.accessToken as string };
  }
});

