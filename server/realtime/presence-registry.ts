import { z } from 'zod';
import type { RedisClient } from '../scale/redis-connection';

export type ConnectionPresence = 'online' | 'away';

/**
 * lastSeenAt is null while the user is online or away (they are being seen now) and for a user
 * never seen; once offline it is when their last connection closed.
 */
export interface UserPresence {
  userId: string;
  status: 'online' | 'away' | 'offline';
  lastSeenAt: string | null;
}

/** Where every live connection's presence is kept: one process's memory, or Redis shared by all processes. */
export interface PresenceRegistry {
  /** A connection of `userId` opened or changed state; the user's presence afterwards. */
  set(userId: string, connectionId: string, state: ConnectionPresence): Promise<UserPresence>;
  /** A connection closed; the user's presence afterwards (offline, lastSeenAt = now, when none is left). */
  remove(userId: string, connectionId: string): Promise<UserPresence>;
  get(userIds: string[]): Promise<UserPresence[]>;
  close(): Promise<void>;
}

/** Online if any connection is; away if every one is; offline when there is none. */
function aggregatePresence(userId: string, states: ConnectionPresence[], lastSeenAt: string | null): UserPresence {
  if (states.includes('online')) return { userId, status: 'online', lastSeenAt: null };
  if (states.length > 0) return { userId, status: 'away', lastSeenAt: null };
  return { userId, status: 'offline', lastSeenAt };
}

export function createMemoryPresenceRegistry(now: () => Date): PresenceRegistry {
  const connectionsByUser = new Map<string, Map<string, ConnectionPresence>>();
  const lastSeenByUser = new Map<string, string>();
  const presenceOf = (userId: string) =>
    aggregatePresence(userId, [...(connectionsByUser.get(userId)?.values() ?? [])], lastSeenByUser.get(userId) ?? null);

  return {
    async set(userId, connectionId, state) {
      const connections = connectionsByUser.get(userId) ?? new Map<string, ConnectionPresence>();
      connectionsByUser.set(userId, connections.set(connectionId, state));
      return presenceOf(userId);
    },
    async remove(userId, connectionId) {
      const connections = connectionsByUser.get(userId);
      connections?.delete(connectionId);
      if (!connections || connections.size === 0) {
        connectionsByUser.delete(userId);
        lastSeenByUser.set(userId, now().toISOString());
      }
      return presenceOf(userId);
    },
    async get(userIds) {
      return userIds.map(presenceOf);
    },
    async close() {
      connectionsByUser.clear();
    },
  };
}

/**
 * A process proves it is alive by refreshing its liveness key; connections recorded by a process
 * whose key has expired (it crashed, or lost Redis for longer than the TTL) no longer count.
 */
const HEARTBEAT_INTERVAL_MS = 10_000;
const LIVENESS_TTL_MS = 30_000;

const ConnectionEntry = z.object({ state: z.enum(['online', 'away']), processId: z.string() });
type ConnectionEntry = z.infer<typeof ConnectionEntry>;

/**
 * Redis layout under `prefix`: `connections:<userId>` is a hash of connectionId → ConnectionEntry
 * JSON, `lastseen:<userId>` the ISO instant the user was last seen, `process:<processId>` a
 * liveness key with a TTL. lastseen is written on every change as well as on the last close, so
 * a user whose only process crashed still has a sensible lastSeenAt once their connections are pruned.
 */
export function createRedisPresenceRegistry(
  client: RedisClient,
  options: { processId: string; now: () => Date; prefix?: string },
): PresenceRegistry {
  const { processId, now, prefix = 'rally:presence:' } = options;
  const connectionsKey = (userId: string) => `${prefix}connections:${userId}`;
  const lastSeenKey = (userId: string) => `${prefix}lastseen:${userId}`;
  const livenessKey = (id: string) => `${prefix}process:${id}`;
  // This process's own connections, to re-assert them if Redis lost them and to remove them on close.
  const ownConnections = new Map<string, { userId: string; entry: string }>();

  async function heartbeat(): Promise<void> {
    const previous = await client.set(livenessKey(processId), '1', { expiration: { type: 'PX', value: LIVENESS_TTL_MS }, GET: true });
    if (previous !== null || ownConnections.size === 0) return;
    // The key had expired or Redis restarted empty: other processes may have pruned our connections.
    const restore = client.multi();
    for (const [connectionId, { userId, entry }] of ownConnections) restore.hSet(connectionsKey(userId), connectionId, entry);
    await restore.exec();
  }
  // A failed beat is retried on the next tick; the client's error listener already logs the outage.
  const timer = setInterval(() => heartbeat().catch(() => undefined), HEARTBEAT_INTERVAL_MS);
  timer.unref();

  /** Reads users' connections, keeping those of live processes and deleting the rest. */
  async function readLive(userIds: string[]): Promise<{ states: ConnectionPresence[]; lastSeenAt: string | null }[]> {
    if (userIds.length === 0) return [];
    // Commands issued in the same tick go out as one pipeline.
    const users = await Promise.all(
      userIds.map(async (userId) => {
        const [hash, lastSeenAt] = await Promise.all([client.hGetAll(connectionsKey(userId)), client.get(lastSeenKey(userId))]);
        return { userId, entries: parseEntries(hash), lastSeenAt };
      }),
    );

    const otherProcesses = [...new Set(users.flatMap((u) => u.entries.map(([, e]) => e?.processId ?? '')))].filter(
      (id) => id !== '' && id !== processId,
    );
    const alive = new Set([processId]);
    if (otherProcesses.length > 0) {
      const flags = await client.mGet(otherProcesses.map(livenessKey));
      otherProcesses.forEach((id, index) => {
        if (flags[index] !== null) alive.add(id);
      });
    }

    const prune = client.multi();
    let pruning = false;
    const result = users.map(({ userId, entries, lastSeenAt }) => {
      const states: ConnectionPresence[] = [];
      for (const [connectionId, entry] of entries) {
        if (entry && alive.has(entry.processId)) states.push(entry.state);
        else {
          prune.hDel(connectionsKey(userId), connectionId);
          pruning = true;
        }
      }
      return { states, lastSeenAt };
    });
    if (pruning) await prune.exec();
    return result;
  }

  async function presenceOf(userId: string): Promise<UserPresence> {
    const [live] = await readLive([userId]);
    return aggregatePresence(userId, live?.states ?? [], live?.lastSeenAt ?? null);
  }

  return {
    async set(userId, connectionId, state) {
      const entry = JSON.stringify({ state, processId } satisfies ConnectionEntry);
      ownConnections.set(connectionId, { userId, entry });
      await client
        .multi()
        // Also the first beat of a new process, so its first connection counts at once.
        .set(livenessKey(processId), '1', { expiration: { type: 'PX', value: LIVENESS_TTL_MS } })
        .hSet(connectionsKey(userId), connectionId, entry)
        .set(lastSeenKey(userId), now().toISOString())
        .exec();
      return presenceOf(userId);
    },
    async remove(userId, connectionId) {
      ownConnections.delete(connectionId);
      await client.hDel(connectionsKey(userId), connectionId);
      const presence = await presenceOf(userId);
      if (presence.status !== 'offline') return presence;
      const lastSeenAt = now().toISOString();
      await client.set(lastSeenKey(userId), lastSeenAt);
      return { ...presence, lastSeenAt };
    },
    async get(userIds) {
      const live = await readLive(userIds);
      return userIds.map((userId, index) => aggregatePresence(userId, live[index]?.states ?? [], live[index]?.lastSeenAt ?? null));
    },
    async close() {
      clearInterval(timer);
      const cleanup = client.multi().del(livenessKey(processId));
      const at = now().toISOString();
      for (const [connectionId, { userId }] of ownConnections) {
        cleanup.hDel(connectionsKey(userId), connectionId).set(lastSeenKey(userId), at);
      }
      ownConnections.clear();
      // Best effort: if Redis cannot be reached, the liveness key's expiry retires these connections anyway.
      await cleanup.exec().catch(() => undefined);
    },
  };
}

/** Entries this version cannot read come back as undefined, so they are pruned rather than trusted. */
function parseEntries(hash: Record<string, string>): [string, ConnectionEntry | undefined][] {
  return Object.entries(hash).map(([connectionId, json]) => {
    try {
      const parsed = ConnectionEntry.safeParse(JSON.parse(json));
      return [connectionId, parsed.success ? parsed.data : undefined];
    } catch {
      return [connectionId, undefined];
    }
  });
}
