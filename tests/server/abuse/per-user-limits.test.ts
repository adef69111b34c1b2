import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { directConversationId } from '../../../protocol';
import { connectRedis } from '../../../server/scale/redis-connection';
import {
  connectAs,
  createThrowawayPostgresDatabase,
  deleteRedisKeys,
  futureInstant,
  randomRedisPrefix,
  registerUser,
  request,
  socketAuthFor,
  startTestServer,
  TEST_REDIS_URL,
  waitForConnect,
  type ClientSocket,
  type JsonResponse,
  type TestServer,
  type TestUser,
} from '../harness';

/**
 * One account cannot flood the server: writes (HTTP mutations, bulk batches and socket messages
 * together) and sync reads are limited per user, not per connection, and one user holds at most
 * a few sockets (a new one closes the oldest).
 */

const WRITES = 5;
const SYNC_READS = 4;
const SOCKETS = 3;
const LIMIT_ENV = {
  USER_WRITE_LIMIT_PER_MINUTE: String(WRITES),
  USER_SYNC_LIMIT_PER_MINUTE: String(SYNC_READS),
  MAX_SOCKETS_PER_USER: String(SOCKETS),
};

let mutationCounter = 0;
function createActivity(server: TestServer, user: TestUser, clientId: string) {
  return request(server, 'POST', '/api/mutations', {
    token: user.token,
    body: {
      clientId,
      mutationId: ++mutationCounter,
      name: 'activity.create',
      args: { id: randomUUID(), fields: { title: 'Run', startsAt: futureInstant() } },
      createdAt: new Date().toISOString(),
    },
  });
}

async function activitiesOwnedBy(server: TestServer, userId: string): Promise<number> {
  const rows = await server.app.database.db.selectFrom('activities').select('id').where('ownerId', '=', userId).execute();
  return rows.length;
}

async function connected(server: TestServer, user: TestUser): Promise<ClientSocket> {
  const socket = connectAs(server, socketAuthFor(user));
  await waitForConnect(socket);
  return socket;
}

function closeReason(socket: ClientSocket, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the oldest socket stayed connected')), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

function writeLimitScenario(servers: () => [TestServer, TestServer]) {
  it('a user over the write limit gets 429 with Retry-After, nothing stored, while another user is unaffected', async () => {
    const [first, second] = servers();
    const flooder = await registerUser(first, 'Flooder');
    const bystander = await registerUser(first, 'Bystander');
    const clientId = randomUUID();
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof createActivity>> | undefined;
    for (let i = 0; i < WRITES + 3; i++) {
      // Alternating processes: the budget is the user's, wherever the request lands.
      const response = await createActivity(i % 2 === 0 ? first : second, flooder, clientId);
      statuses.push(response.status);
      if (response.status === 429) refused = response;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(WRITES);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    expect(refused?.body.error.code).toBe('rate_limited');
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await activitiesOwnedBy(first, flooder.id)).toBe(WRITES);

    const bulk = await request(second, 'POST', '/api/sync/rsvps/bulk', {
      token: flooder.token,
      body: { conflictResolution: 'server-wins', items: [{ offlineId: 'a', activityId: randomUUID(), going: true }] },
    });
    expect(bulk.status).toBe(429);

    const other = await createActivity(second, bystander, randomUUID());
    expect(other.status).toBe(200);
    expect(await activitiesOwnedBy(first, bystander.id)).toBe(1);
  });
}

describe('per-user limits, one process', () => {
  let server: TestServer;
  const open: ClientSocket[] = [];
  beforeAll(async () => {
    server = await startTestServer(LIMIT_ENV);
  });
  afterAll(async () => server.close());
  afterEach(() => {
    for (const socket of open.splice(0)) socket.disconnect();
  });

  writeLimitScenario(() => [server, server]);

  it('socket messages share the user budget across two sockets of one user', async () => {
    const talker = await registerUser(server, 'Talker');
    const peer = await registerUser(server, 'Peer');
    const a = await connected(server, talker);
    const b = await connected(server, talker);
    open.push(a, b);
    const conversationId = await directConversationId(talker.id, peer.id);
    const clientId = randomUUID();
    const send = (socket: ClientSocket, name: string, args: Record<string, unknown>) =>
      socket.emitWithAck('message:send', { clientId, mutationId: ++mutationCounter, name, args, createdAt: new Date().toISOString() } as never);
    const opened = (await send(a, 'conversation.open', { id: conversationId, peerId: peer.id })) as { ok: boolean };
    expect(opened.ok).toBe(true);
    const acks: { ok: boolean; error?: { code: string; retryAfterMs?: number } }[] = [];
    for (let i = 0; i < WRITES + 1; i++) {
      acks.push((await send(i % 2 === 0 ? a : b, 'message.send', { id: randomUUID(), conversationId, body: `hi ${i}` })) as never);
    }
    expect(acks.filter((ack) => ack.ok)).toHaveLength(WRITES - 1);
    const refused = acks.filter((ack) => !ack.ok);
    expect(refused).toHaveLength(2);
    expect(refused[0]?.error?.code).toBe('rate_limited');
    expect(refused[0]?.error?.retryAfterMs).toBeGreaterThan(0);
    const stored = await server.app.database.db.selectFrom('messages').select('id').where('conversationId', '=', conversationId).execute();
    expect(stored).toHaveLength(WRITES - 1);
  });

  it('sync reads are limited per user', async () => {
    const reader = await registerUser(server, 'Reader');
    const other = await registerUser(server, 'Other reader');
    const statuses: number[] = [];
    let refused: JsonResponse<{ error: { code: string } }> | undefined;
    for (let i = 0; i < SYNC_READS + 2; i++) {
      const response = await request(server, 'GET', '/api/sync', { token: reader.token });
      statuses.push(response.status);
      if (response.status === 429) refused = response;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(SYNC_READS);
    expect(refused?.body.error.code).toBe('rate_limited');
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await request(server, 'GET', '/api/sync', { token: other.token })).status).toBe(200);
  });

  it('connecting one socket more than the cap disconnects the oldest', async () => {
    const user = await registerUser(server, 'Many tabs');
    const sockets: ClientSocket[] = [];
    for (let i = 0; i < SOCKETS; i++) {
      sockets.push(await connected(server, user));
      open.push(sockets[i]!);
    }
    const firstClosed = closeReason(sockets[0]!);
    const newest = await connected(server, user);
    open.push(newest);
    expect(await firstClosed).toBe('io server disconnect');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sockets.slice(1).every((socket) => socket.connected)).toBe(true);
    expect(newest.connected).toBe(true);
  });
});

describe('per-user write limit, two processes behind Redis', () => {
  const adminUrl = process.env.RALLY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  let servers: [TestServer, TestServer];
  let database: Awaited<ReturnType<typeof createThrowawayPostgresDatabase>>;
  const prefix = randomRedisPrefix();
  beforeAll(async () => {
    database = await createThrowawayPostgresDatabase(adminUrl);
    const env = { ...LIMIT_ENV, REDIS_URL: TEST_REDIS_URL, JWT_SECRET: randomBytes(48).toString('base64url'), USER_LIMITS_REDIS_PREFIX: prefix };
    servers = [await startTestServer(env, { databaseUrl: database.url }), await startTestServer(env, { databaseUrl: database.url })];
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await database.drop();
    const redis = await connectRedis(TEST_REDIS_URL);
    await deleteRedisKeys(redis.client, `${prefix}*`);
    await redis.close();
  });

  writeLimitScenario(() => servers);

  it('the socket cap counts the sockets on both processes, and closes the oldest wherever it lives', async () => {
    const user = await registerUser(servers[0], 'Two offices');
    const sockets: ClientSocket[] = [];
    try {
      for (let i = 0; i < SOCKETS; i++) sockets.push(await connected(servers[0], user));
      const firstClosed = closeReason(sockets[0]!);
      sockets.push(await connected(servers[1], user));
      expect(await firstClosed).toBe('io server disconnect');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sockets.slice(1).every((socket) => socket.connected)).toBe(true);
    } finally {
      for (const socket of sockets) socket.disconnect();
    }
  });
});
