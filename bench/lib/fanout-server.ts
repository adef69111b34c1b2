// The real Rally server for bench/fanout, in a process of its own (forked by fanout-ipc.ts):
// createApp on a throwaway SQLite file, listening on loopback, seeded over IPC on request.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Activity } from '../../protocol';
import { createApp } from '../../server/app';
import { createAccessTokenIssuer } from '../../server/auth/access-tokens';
import { hashPassword } from '../../server/auth/passwords';
import { loadConfig } from '../../server/config';
import { takeNextSeq } from '../../server/db/change-sequence';
import type { SocketLimits } from '../../server/realtime/chat-sockets';
import { loadOrCreateSecrets } from '../../server/secrets';
import { answerParent } from './fanout-ipc';

export interface SeededUser {
  id: string;
  token: string;
}

export interface ServerSample {
  /** process.memoryUsage() after two full garbage collections. */
  memory: NodeJS.MemoryUsage;
  /** process.cpuUsage(): user and system CPU time since the process started, in µs. */
  cpu: NodeJS.CpuUsage;
}

export type RallyFanoutApi = {
  url(): Promise<string>;
  /** `count` people, no memberships: their sockets join only their own user room. */
  seedUsers(arg: { count: number; label: string }): Promise<SeededUser[]>;
  /** An activity with `members` people (the first is its organizer): one chat room of that size. */
  seedRoom(arg: { members: number }): Promise<{ conversationId: string; members: SeededUser[] }>;
  countMessages(arg: { conversationId: string }): Promise<number>;
  sample(): Promise<ServerSample>;
  /** CPU time alone, without the collections `sample` runs (which would be counted in a phase). */
  cpu(): Promise<NodeJS.CpuUsage>;
};

// The bench measures fan-out, not the per-socket flood limit (5 messages/s with a burst of 20,
// which one sender of 1,000 messages would hit at once): every limit is lifted out of reach.
const UNREACHABLE: SocketLimits['messages'] = { capacity: 1e9, perSecond: 1e9 };
const socketLimits: SocketLimits = { messages: UNREACHABLE, typing: UNREACHABLE, receipts: UNREACHABLE, presence: UNREACHABLE };

const TOKEN_TTL_SECONDS = 60 * 60;
const INSERT_CHUNK = 500;

const dataDir = mkdtempSync(path.join(tmpdir(), 'rally-fanout-'));
const config = loadConfig({
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  // No page is served: the clients are Node sockets.
  STATIC_DIR: path.join(dataDir, 'no-build'),
  AUTH_RATE_LIMIT_PER_MINUTE: '100000',
});
const secrets = loadOrCreateSecrets(config);
const app = await createApp({ config, secrets, socketLimits });
await app.http.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.http.server.address() as { port: number };
const db = app.database.db;
const tokens = createAccessTokenIssuer(secrets.jwtSecret, TOKEN_TTL_SECONDS, () => new Date());
// Registering thousands of people over HTTP would spend minutes in scrypt; every seeded row
// carries the hash of one password instead, made once.
const sharedPassword = await hashPassword(randomUUID());

async function insertUsers(count: number, label: string): Promise<SeededUser[]> {
  const createdAt = new Date().toISOString();
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    email: `${label}-${i}-${randomUUID().slice(0, 8)}@bench.test`,
    displayName: `${label} ${i}`,
    passwordHash: sharedPassword.hash,
    passwordSalt: sharedPassword.salt,
    createdAt,
  }));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db.insertInto('users').values(rows.slice(i, i + INSERT_CHUNK)).execute();
  }
  return Promise.all(rows.map(async (row) => ({ id: row.id, token: (await tokens.issue(row, randomUUID())).token })));
}

const api: RallyFanoutApi = {
  async url() {
    return `http://127.0.0.1:${port}`;
  },

  seedUsers: ({ count, label }) => insertUsers(count, label),

  async seedRoom({ members }) {
    const people = await insertUsers(members, 'member');
    const [organizer, ...others] = people;
    if (!organizer) throw new Error('a room needs at least one member');
    // Created through the real route, which also opens the activity's chat room under its id.
    const created = await app.http.inject({
      method: 'POST',
      url: '/api/activities',
      headers: { authorization: `Bearer ${organizer.token}` },
      payload: { title: 'Fan-out bench', startsAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    if (created.statusCode !== 201) throw new Error(`creating the activity failed: ${created.statusCode} ${created.body}`);
    const activity = created.json<Activity>();
    // Joining one by one over HTTP would announce every join to the room; the rows are what
    // the room is read from when a socket connects, so they are written directly, in one change.
    await db.transaction().execute(async (trx) => {
      const seq = await takeNextSeq(trx);
      const joinedAt = new Date().toISOString();
      for (let i = 0; i < others.length; i += INSERT_CHUNK) {
        const rows = others.slice(i, i + INSERT_CHUNK).map((user) => ({ activityId: activity.id, userId: user.id, role: 'member' as const, joinedAt, seq }));
        await trx.insertInto('activityMembers').values(rows).execute();
      }
      await trx
        .updateTable('activities')
        .set((eb) => ({ memberCount: people.length, version: eb('version', '+', 1), updatedAt: joinedAt, seq }))
        .where('id', '=', activity.id)
        .execute();
    });
    return { conversationId: activity.id, members: people };
  },

  async countMessages({ conversationId }) {
    const row = await db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('conversationId', '=', conversationId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async sample() {
    const collect = globalThis.gc;
    if (!collect) throw new Error('fork this server with --expose-gc');
    // Twice, a turn apart: the first pass can leave finalizers whose memory only the second frees.
    collect();
    await nextTurn();
    collect();
    return { memory: process.memoryUsage(), cpu: process.cpuUsage() };
  },

  async cpu() {
    return process.cpuUsage();
  },
};

answerParent(api, async () => {
  await app.http.close();
  rmSync(dataDir, { recursive: true, force: true });
});
