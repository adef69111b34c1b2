import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryPresenceRegistry,
  createRedisPresenceRegistry,
  type PresenceRegistry,
} from '../../server/realtime/presence-registry';
import { connectRedis, type RedisConnection } from '../../server/scale/redis-connection';
import { deleteRedisKeys, randomRedisPrefix, TEST_REDIS_URL } from './harness';

const prefix = randomRedisPrefix();
let redis: RedisConnection;
let clock = new Date('2030-01-01T10:00:00.000Z');
const now = () => clock;
const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};
const opened: PresenceRegistry[] = [];

beforeAll(async () => {
  redis = await connectRedis(TEST_REDIS_URL);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((registry) => registry.close()));
});
afterAll(async () => {
  await deleteRedisKeys(redis.client, `${prefix}*`);
  await redis.close();
});

const implementations: { name: string; create: () => PresenceRegistry }[] = [
  { name: 'memory', create: () => createMemoryPresenceRegistry(now) },
  { name: 'redis', create: () => createRedisPresenceRegistry(redis.client, { processId: randomUUID(), now, prefix }) },
];

/** Every case runs against each implementation with fresh user ids. */
const cases: { name: string; run: (registry: PresenceRegistry, user: string, other: string) => Promise<void> }[] = [
  {
    name: 'a user never seen is offline with no lastSeenAt',
    run: async (registry, user) => {
      expect(await registry.get([user])).toEqual([{ userId: user, status: 'offline', lastSeenAt: null }]);
    },
  },
  {
    name: 'an open connection makes the user online',
    run: async (registry, user) => {
      expect(await registry.set(user, 'c1', 'online')).toEqual({ userId: user, status: 'online', lastSeenAt: null });
      expect(await registry.get([user])).toEqual([{ userId: user, status: 'online', lastSeenAt: null }]);
    },
  },
  {
    name: 'with two connections, one closing leaves the user online',
    run: async (registry, user) => {
      await registry.set(user, 'c1', 'online');
      await registry.set(user, 'c2', 'online');
      expect(await registry.remove(user, 'c1')).toMatchObject({ status: 'online' });
    },
  },
  {
    name: 'one online connection outweighs away ones',
    run: async (registry, user) => {
      await registry.set(user, 'c1', 'away');
      expect(await registry.set(user, 'c2', 'online')).toMatchObject({ status: 'online' });
      expect(await registry.set(user, 'c2', 'away')).toEqual({ userId: user, status: 'away', lastSeenAt: null });
      expect(await registry.set(user, 'c1', 'online')).toMatchObject({ status: 'online' });
    },
  },
  {
    name: 'when every connection is away the user is away',
    run: async (registry, user) => {
      await registry.set(user, 'c1', 'away');
      await registry.set(user, 'c2', 'away');
      expect(await registry.get([user])).toEqual([{ userId: user, status: 'away', lastSeenAt: null }]);
    },
  },
  {
    name: 'when the last connection closes the user is offline, last seen then',
    run: async (registry, user) => {
      await registry.set(user, 'c1', 'online');
      await registry.set(user, 'c2', 'away');
      advance(60_000);
      await registry.remove(user, 'c1');
      advance(60_000);
      const closedAt = clock.toISOString();
      expect(await registry.remove(user, 'c2')).toEqual({ userId: user, status: 'offline', lastSeenAt: closedAt });
      advance(60_000);
      expect(await registry.get([user])).toEqual([{ userId: user, status: 'offline', lastSeenAt: closedAt }]);
    },
  },
  {
    name: 'coming back clears lastSeenAt',
    run: async (registry, user) => {
      await registry.set(user, 'c1', 'online');
      await registry.remove(user, 'c1');
      expect(await registry.set(user, 'c2', 'away')).toEqual({ userId: user, status: 'away', lastSeenAt: null });
    },
  },
  {
    name: 'get answers for each user asked, in order',
    run: async (registry, user, other) => {
      await registry.set(other, 'c1', 'away');
      expect(await registry.get([user, other])).toEqual([
        { userId: user, status: 'offline', lastSeenAt: null },
        { userId: other, status: 'away', lastSeenAt: null },
      ]);
      expect(await registry.get([])).toEqual([]);
    },
  },
];

describe.each(implementations)('$name presence registry', ({ create }) => {
  it.each(cases)('$name', async ({ run }) => {
    const registry = create();
    opened.push(registry);
    await run(registry, `user-${randomUUID()}`, `user-${randomUUID()}`);
  });
});

describe('redis presence registry across processes', () => {
  const processOn = (client = redis.client, processId: string = randomUUID()) => {
    const registry = createRedisPresenceRegistry(client, { processId, now, prefix });
    opened.push(registry);
    return registry;
  };

  it("sees another process's connections", async () => {
    const [first, second] = [processOn(), processOn()];
    const user = `user-${randomUUID()}`;
    await first.set(user, 'c1', 'away');
    expect(await second.get([user])).toMatchObject([{ status: 'away' }]);
    expect(await second.set(user, 'c2', 'online')).toMatchObject({ status: 'online' });
    expect(await first.remove(user, 'c1')).toMatchObject({ status: 'online' });
  });

  it("ignores, and deletes, the connections of a process whose liveness key is gone", async () => {
    // A process with a connection of its own, so that destroying it leaves the shared one working.
    const crashing = await connectRedis(TEST_REDIS_URL);
    const crashedId = randomUUID();
    const crashed = processOn(crashing.client, crashedId);
    const survivor = processOn();
    const user = `user-${randomUUID()}`;
    await crashed.set(user, 'ghost', 'online');
    await survivor.set(user, 'alive', 'away');
    expect(await survivor.get([user])).toMatchObject([{ status: 'online' }]);

    // The crash: no more heartbeats, no graceful close; then the liveness key expires.
    for (const client of [crashing.client, crashing.pubClient, crashing.subClient]) client.destroy();
    await redis.client.del(`${prefix}process:${crashedId}`);

    expect(await survivor.get([user])).toMatchObject([{ status: 'away' }]);
    expect(await redis.client.hKeys(`${prefix}connections:${user}`)).toEqual(['alive']);
    const closedAt = clock.toISOString();
    expect(await survivor.remove(user, 'alive')).toEqual({ userId: user, status: 'offline', lastSeenAt: closedAt });
  });

  it("a process that closes gracefully takes its connections with it", async () => {
    const [leaving, staying] = [processOn(), processOn()];
    const user = `user-${randomUUID()}`;
    await leaving.set(user, 'c1', 'online');
    await leaving.set(user, 'c2', 'away');
    advance(5_000);
    await leaving.close();
    expect(await staying.get([user])).toEqual([{ userId: user, status: 'offline', lastSeenAt: clock.toISOString() }]);
    expect(await redis.client.exists(`${prefix}connections:${user}`)).toBe(0);
  });
});
