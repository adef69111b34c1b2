import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCurrentSeq } from '../../server/db/change-sequence';
import { AFTER_ALL_KINDS } from '../../server/sync/sync-cursor';
import { readEpoch } from '../../server/sync/sync-feed';
import { logPageQuery } from '../../server/sync/sync-log';
import { futureInstant, registerUser, request, startTestServer, type TestServer, type TestUser } from './harness';

/**
 * The log page is one query over every synced table; these check that each table is reached
 * through an index, on the database the suite runs against.
 *
 * Postgres: tables here are small, where a sequential scan is the planner's honest choice, so
 * sequential scans are priced out (`enable_seqscan = off`): a table that still gets one has no
 * index the query can use. An index scan with no condition would be a full read in disguise, so
 * every index read must have one.
 *
 * SQLite plans without table statistics, so its plan is the same on small tables as on large ones.
 */

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

const SYNCED_TABLES = [
  'activities',
  'activity_members',
  'activity_invites',
  'activity_likes',
  'activity_checkins',
  'conversations',
  'messages',
  'conversation_receipts',
  'tombstones',
];

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/** Two people and a row of every kind the log carries, seen by the second: returns them. */
async function seedOneRowOfEachKind(server: TestServer): Promise<TestUser> {
  const ana = await registerUser(server, 'Ana');
  const ben = await registerUser(server, 'Ben');
  const create = async (fields: Record<string, unknown>) =>
    (await request(server, 'POST', '/api/activities', { token: ana.token, body: { title: 'Plan', startsAt: futureInstant(), ...fields } })).body as {
      id: string;
    };
  const open = await create({});
  const secret = await create({ visibility: 'private' });
  const gone = await create({});
  await request(server, 'POST', `/api/activities/${open.id}/join`, { token: ben.token });
  await request(server, 'PUT', `/api/activities/${open.id}/like`, { token: ben.token });
  await request(server, 'POST', `/api/activities/${secret.id}/invites`, { token: ana.token, body: { userId: ben.id } });
  await request(server, 'DELETE', `/api/activities/${gone.id}`, { token: ana.token });
  const message = { id: randomUUID(), conversationId: open.id, body: 'hello', kind: 'text' };
  const sent = await request(server, 'POST', '/api/mutations', {
    token: ana.token,
    body: { clientId: randomUUID(), mutationId: 1, createdAt: new Date().toISOString(), name: 'message.send', args: message },
  });
  expect(sent.status).toBe(200);
  return ben;
}

const onPostgres = Boolean(process.env.RALLY_TEST_POSTGRES_URL);

describe('the sync log page query plan', () => {
  let server: TestServer;
  let viewer: TestUser;
  beforeAll(async () => (viewer = await seedOneRowOfEachKind((server = await startTestServer()))));
  afterAll(async () => server.close());

  /** The query of a log page from position 1 to the head: every kind, both halves, the grants. */
  async function wholeLogPageQuery() {
    const { db } = server.app.database;
    const cursor = { phase: 'log' as const, epoch: await readEpoch(db), seq: 1, kind: AFTER_ALL_KINDS, afterId: '' };
    return { db, query: logPageQuery(viewer.id, cursor, await readCurrentSeq(db), 2000) };
  }

  it.skipIf(onPostgres)('on SQLite, reads no synced table whole and never walks every position below the cursor', async () => {
    const { db, query } = await wholeLogPageQuery();
    const { rows } = await sql<{ detail: string }>`explain query plan ${query}`.execute(db);
    const steps = rows.map((row) => row.detail);
    // Only the query's own small tables (the grants, the items) may be read whole.
    expect(steps.filter((step) => /^SCAN /.test(step) && !/^SCAN (items|granted|grant_events)$/.test(step))).toEqual([]);
    // A position range bounded only above is every row older than the cursor (found here before
    // the granted rows started from the grants).
    expect(steps.filter((step) => /\((changed_)?seq<\?\)/.test(step))).toEqual([]);
    // Messages follow their changes in `changed_seq` (their `seq` is their place in the conversation).
    const windowReads = steps.filter((step) => /USING INDEX \w+_seq \((changed_)?seq>\? AND (changed_)?seq<\?\)/.test(step));
    expect(windowReads.length).toBe(8);
    expect(steps.some((step) => /USING INDEX messages_changed_seq \(changed_seq>\? AND changed_seq<\?\)/.test(step))).toBe(true);
  });

  it.skipIf(!onPostgres)('on Postgres, reaches every synced table through an index, with a condition', async () => {
    const { db, query } = await wholeLogPageQuery();
    const plan = await db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const { rows } = await sql<Record<string, unknown>>`explain (format json) ${query}`.execute(trx);
      return (Object.values(rows[0]!)[0] as [{ Plan: PlanNode }])[0].Plan;
    });
    const nodes = nodesOf(plan);
    const label = (node: PlanNode) => `${node['Node Type']} on ${node['Relation Name'] ?? node['Index Name']}`;

    expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan').map(label)).toEqual([]);
    const indexReads = nodes.filter((node) => ['Index Scan', 'Index Only Scan', 'Bitmap Index Scan'].includes(node['Node Type']));
    expect(indexReads.filter((node) => node['Index Cond'] === undefined).map(label)).toEqual([]);
    expect(nodes.map((node) => node['Relation Name'])).toEqual(expect.arrayContaining(SYNCED_TABLES));
    // The window's positions are found through the `seq` indexes, not by reading whole tables.
    const indexesUsed = new Set(indexReads.map((node) => node['Index Name']));
    for (const index of ['activities_seq', 'activity_members_seq', 'activity_likes_seq', 'activity_checkins_seq', 'conversations_seq', 'messages_changed_seq', 'conversation_receipts_seq', 'tombstones_seq']) {
      expect(indexesUsed).toContain(index);
    }
    expect(indexesUsed).toContain('activity_invites_user_seq');
    expect(indexesUsed).toContain('activities_public_since');
    expect(indexesUsed).toContain('activity_members_user_seq');
  });
});
