import { loadOrCreateSecrets } from '../../server/secrets';
import { AFTER_ALL_KINDS, encodeSyncCursor, syncCursorKey, type SyncCursor } from '../../server/sync/sync-cursor';
import { readEpoch } from '../../server/sync/sync-feed';
import { readLogPage } from '../../server/sync/sync-log';
import { readCurrentSeq } from '../../server/db/change-sequence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { futureInstant, registerUser, request, startTestServer, type TestServer, type TestUser } from './harness';
import { takeNextSeq } from '../../server/db/change-sequence';
import { freshReplica, SyncReplica } from './sync-client';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('delta sync', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    ana = await registerUser(server, 'Ana');
    ben = await registerUser(server, 'Ben');
  });
  afterAll(async () => server.close());

  async function create(user: TestUser, fields: Record<string, unknown> = {}) {
    const response = await request(server, 'POST', '/api/activities', {
      token: user.token,
      body: { title: 'Sync me', startsAt: futureInstant(), ...fields },
    });
    expect(response.status).toBe(201);
    return response.body as { id: string };
  }

  it('delivers everything visible on a first sync, paged, and then only what changed', async () => {
    const a1 = await create(ana, { title: 'One' });
    const a2 = await create(ana, { title: 'Two' });
    await request(server, 'PUT', `/api/activities/${a1.id}/like`, { token: ben.token });
    await request(server, 'POST', `/api/activities/${a2.id}/join`, { token: ben.token });

    const replica = new SyncReplica(server, ben);
    await replica.pullUntilDone(2);
    expect(replica.pulls).toBeGreaterThan(2);
    expect(replica.keys()).toEqual(
      expect.arrayContaining([
        `activity/${a1.id}`,
        `activity/${a2.id}`,
        `member/${a1.id}:${ana.id}`,
        `member/${a2.id}:${ben.id}`,
        `like/${a1.id}:${ben.id}`,
      ]),
    );

    // A row's change carries the contract's fields, in its order, and nothing else of the table.
    expect(Object.keys(replica.rows.get(`member/${a2.id}:${ben.id}`)?.data ?? {})).toEqual(['activityId', 'userId', 'displayName', 'role', 'joinedAt']);
    expect(Object.keys(replica.rows.get(`like/${a1.id}:${ben.id}`)?.data ?? {})).toEqual(['activityId', 'userId', 'createdAt']);

    const quiet = await replica.pullOnce();
    expect(quiet).toMatchObject({ changes: [], hasMore: false });

    await request(server, 'PATCH', `/api/activities/${a1.id}`, { token: ana.token, body: { title: 'One, renamed' } });
    await request(server, 'DELETE', `/api/activities/${a1.id}/like`, { token: ben.token });
    const delta = await replica.pullOnce();
    // State, not history: the activity arrives once, as it is now.
    expect(delta.changes.map((c) => `${c.op} ${c.entity}`)).toEqual(['upsert activity', 'delete like']);
    expect(replica.rows.get(`activity/${a1.id}`)?.data).toMatchObject({ title: 'One, renamed', likeCount: 0 });
    expect(replica.rows.has(`like/${a1.id}:${ben.id}`)).toBe(false);

    expect(replica.canonical()).toEqual((await freshReplica(server, ben)).canonical());
  });

  it('sends a tombstone for a private activity the user left, and nothing under it remains', async () => {
    const secret = await create(ana, { title: 'Private', visibility: 'private' });
    const outsider = await registerUser(server, 'Outsider');
    // Ben is a member without an invitation: ana made it private after he joined.
    const wasPublic = await create(ana, { title: 'Was public' });
    await request(server, 'POST', `/api/activities/${wasPublic.id}/join`, { token: ben.token });
    await request(server, 'PUT', `/api/activities/${wasPublic.id}/like`, { token: ben.token });
    await request(server, 'PATCH', `/api/activities/${wasPublic.id}`, { token: ana.token, body: { visibility: 'private' } });

    const replica = await freshReplica(server, ben);
    expect(replica.keys()).toContain(`activity/${wasPublic.id}`);
    expect(replica.keys()).not.toContain(`activity/${secret.id}`);

    await request(server, 'DELETE', `/api/activities/${wasPublic.id}/join`, { token: ben.token });
    await replica.pullUntilDone();
    expect(replica.keys().filter((key) => key.includes(wasPublic.id))).toEqual([]);

    // Nobody else learns that a private activity exists.
    const outsiderReplica = await freshReplica(server, outsider);
    expect(outsiderReplica.keys().filter((key) => key.includes(secret.id) || key.includes(wasPublic.id))).toEqual([]);
  });

  it('tells people who lose sight of an activity to drop it, and gives it back with everything under it', async () => {
    const cleo = await registerUser(server, 'Cleo');
    const activity = await create(ana, { title: 'Flip-flop' });
    await request(server, 'POST', `/api/activities/${activity.id}/join`, { token: ben.token });
    await request(server, 'PUT', `/api/activities/${activity.id}/like`, { token: ben.token });
    const replica = await freshReplica(server, cleo);
    expect(replica.keys()).toContain(`member/${activity.id}:${ben.id}`);

    await request(server, 'PATCH', `/api/activities/${activity.id}`, { token: ana.token, body: { visibility: 'private' } });
    await replica.pullUntilDone();
    expect(replica.keys().filter((key) => key.includes(activity.id))).toEqual([]);

    // Becoming public again is a grant: the members and likes that never changed come back too.
    await request(server, 'PATCH', `/api/activities/${activity.id}`, { token: ana.token, body: { visibility: 'public' } });
    await replica.pullUntilDone();
    expect(replica.keys()).toEqual(
      expect.arrayContaining([`activity/${activity.id}`, `member/${activity.id}:${ben.id}`, `like/${activity.id}:${ben.id}`]),
    );
    expect(replica.canonical()).toEqual((await freshReplica(server, cleo)).canonical());
  });

  it('delivers an old private activity whole when its invitation arrives', async () => {
    const dora = await registerUser(server, 'Dora');
    const activity = await create(ana, { title: 'Old secret', visibility: 'private' });
    await request(server, 'POST', `/api/activities/${activity.id}/invites`, { token: ana.token, body: { userId: ben.id } });
    await request(server, 'POST', `/api/activities/${activity.id}/join`, { token: ben.token });
    await request(server, 'PUT', `/api/activities/${activity.id}/like`, { token: ben.token });

    const replica = await freshReplica(server, dora);
    expect(replica.keys().filter((key) => key.includes(activity.id))).toEqual([]);
    await request(server, 'POST', `/api/activities/${activity.id}/invites`, { token: ana.token, body: { userId: dora.id } });
    await replica.pullUntilDone(1);
    expect(replica.keys()).toEqual(
      expect.arrayContaining([
        `activity/${activity.id}`,
        `member/${activity.id}:${ana.id}`,
        `member/${activity.id}:${ben.id}`,
        `like/${activity.id}:${ben.id}`,
      ]),
    );
  });

  it('drops deleted activities for everyone who had them', async () => {
    const activity = await create(ana, { title: 'Doomed' });
    await request(server, 'POST', `/api/activities/${activity.id}/join`, { token: ben.token });
    const replica = await freshReplica(server, ben);
    await request(server, 'DELETE', `/api/activities/${activity.id}`, { token: ana.token });
    await replica.pullUntilDone();
    expect(replica.keys().filter((key) => key.includes(activity.id))).toEqual([]);
  });

  it('answers a bad cursor with 400 and a foreign one with 410, both saying to start over', async () => {
    const garbage = await request(server, 'GET', '/api/sync?cursor=nonsense', { token: ben.token });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe('invalid_cursor');
    expect(garbage.body.error.message).toMatch(/full sync/);

    // Signed by this server (same secret) for a database that is not this one: a restore, a reset.
    const key = syncCursorKey(loadOrCreateSecrets(server.config).jwtSecret);
    const foreign = encodeSyncCursor({ phase: 'log', epoch: 'some-other-database', seq: 1, kind: 9, afterId: '' }, key);
    const expired = await request(server, 'GET', `/api/sync?cursor=${foreign}`, { token: ben.token });
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('cursor_expired');

    // Hand-made: the log from position 0, to make the server walk the whole history.
    const current = await request(server, 'GET', '/api/sync?limit=1', { token: ben.token });
    const [, epoch] = JSON.parse(Buffer.from(String(current.body.cursor).split('.')[0] ?? '', 'base64url').toString()) as [string, string];
    const handMade = Buffer.from(JSON.stringify(['l', epoch, 0, 0, ''])).toString('base64url');
    const forged = await request(server, 'GET', `/api/sync?cursor=${handMade}&limit=5000`, { token: ben.token });
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('invalid_cursor');

    const tooBig = await request(server, 'GET', '/api/sync?limit=5001', { token: ben.token });
    expect(tooBig.status).toBe(400);
    expect((await request(server, 'GET', '/api/sync')).status).toBe(401);
  });

  it('bounds each log page by a range of positions: a busy history the user cannot see costs small pulls, and nothing is missed', async () => {
    const { db } = server.app.database;
    const cleo = await registerUser(server, 'Cleo');
    const start: SyncCursor = { phase: 'log', epoch: await readEpoch(db), seq: await readCurrentSeq(db), kind: AFTER_ALL_KINDS, afterId: '' };
    // Ana's private planning, unseen by Cleo; one old private activity Cleo is invited to at the end
    // (a grant: it comes whole, members included); and one public activity in the middle.
    const oldPrivate = await create(ana, { title: 'Old secret', visibility: 'private' });
    for (let i = 0; i < 12; i++) await create(ana, { title: `Secret ${i}`, visibility: 'private' });
    const open = await create(ben, { title: 'Open to all' });
    for (let i = 0; i < 12; i++) await create(ana, { title: `More secret ${i}`, visibility: 'private' });
    const invited = await request(server, 'POST', `/api/activities/${oldPrivate.id}/invites`, { token: ana.token, body: { userId: cleo.id } });
    expect(invited.status).toBeLessThan(300);
    const head = await readCurrentSeq(db);

    const unbounded = await readLogPage(db, cleo.id, start, 1000, Number.MAX_SAFE_INTEGER);
    expect(unbounded.hasMore).toBe(false);
    const everything = unbounded.changes.map((change) => `${change.entity}/${change.id}`).sort();
    expect(everything).toEqual(expect.arrayContaining([`activity/${open.id}`, `activity/${oldPrivate.id}`, `member/${oldPrivate.id}:${ana.id}`]));

    const window = 5;
    const seen = new Set<string>();
    let cursor: SyncCursor = start;
    let pulls = 0;
    for (;;) {
      const from = (cursor as Extract<SyncCursor, { phase: 'log' }>).seq;
      const page = await readLogPage(db, cleo.id, cursor as Extract<SyncCursor, { phase: 'log' }>, 1000, window);
      pulls += 1;
      const to = (page.cursor as Extract<SyncCursor, { phase: 'log' }>).seq;
      expect(to - from).toBeLessThanOrEqual(window);
      for (const change of page.changes) seen.add(`${change.entity}/${change.id}`);
      cursor = page.cursor;
      if (!page.hasMore) break;
      expect(pulls).toBeLessThan(100);
    }
    expect((cursor as Extract<SyncCursor, { phase: 'log' }>).seq).toBe(head);
    expect(pulls).toBeGreaterThanOrEqual(Math.ceil((head - start.seq) / window));
    expect([...seen].sort()).toEqual(everything);
  });

  it('hands out positions in commit order: a second writer waits until the first commits', async () => {
    const { db } = server.app.database;
    const events: string[] = [];
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    const first = db.transaction().execute(async (trx) => {
      const seq = await takeNextSeq(trx);
      events.push('first took its position');
      await firstMayCommit;
      events.push('first commits');
      return seq;
    });
    await sleep(50);
    const second = db.transaction().execute(async (trx) => {
      const seq = await takeNextSeq(trx);
      events.push('second took its position');
      return seq;
    });
    await sleep(300);
    expect(events).toEqual(['first took its position']);
    releaseFirst();
    const [firstSeq, secondSeq] = await Promise.all([first, second]);
    expect(events).toEqual(['first took its position', 'first commits', 'second took its position']);
    expect(secondSeq).toBe(firstSeq + 1);
  });

  it('never skips a change that commits late, with many writers at once', async () => {
    const writers = await Promise.all(Array.from({ length: 8 }, (_, i) => registerUser(server, `Writer ${i}`)));
    const targets = await Promise.all(Array.from({ length: 4 }, (_, i) => create(ana, { title: `Busy ${i}` })));
    const watcher = new SyncReplica(server, ben);
    await watcher.pullUntilDone();

    let writing = true;
    const pulling = (async () => {
      while (writing) await watcher.pullUntilDone(7);
    })();
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let round = 0; round < 6; round++) {
          const target = targets[(w + round) % targets.length]!;
          await Promise.all([
            request(server, 'PUT', `/api/activities/${target.id}/like`, { token: writer.token }),
            request(server, 'POST', `/api/activities/${target.id}/join`, { token: writer.token }),
          ]);
          if (round % 2 === 1) {
            await Promise.all([
              request(server, 'DELETE', `/api/activities/${target.id}/like`, { token: writer.token }),
              request(server, 'DELETE', `/api/activities/${target.id}/join`, { token: writer.token }),
            ]);
          }
        }
      }),
    );
    writing = false;
    await pulling;
    await watcher.pullUntilDone(7);
    expect(watcher.canonical()).toEqual((await freshReplica(server, ben)).canonical());
  });
});

describe('private activities and invitations', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('uses up the invitation on joining: leaving a private activity takes it off the device', async () => {
    const ana = await registerUser(server, 'Ana');
    const ben = await registerUser(server, 'Ben');
    const created = await request(server, 'POST', '/api/activities', {
      token: ana.token,
      body: { title: 'Dinner', startsAt: futureInstant(), visibility: 'private' },
    });
    const id = created.body.id as string;
    await request(server, 'POST', `/api/activities/${id}/invites`, { token: ana.token, body: { userId: ben.id } });
    await request(server, 'POST', `/api/activities/${id}/join`, { token: ben.token });
    await request(server, 'PUT', `/api/activities/${id}/like`, { token: ben.token });
    const replica = await freshReplica(server, ben);
    // The activity, its two members, Ben's like, and its chat room.
    expect(replica.keys().filter((key) => key.includes(id))).toHaveLength(5);

    const left = await request(server, 'DELETE', `/api/activities/${id}/join`, { token: ben.token });
    expect(left.status).toBe(200);
    await replica.pullUntilDone();
    expect(replica.keys().filter((key) => key.includes(id))).toEqual([]);
    expect((await request(server, 'GET', `/api/activities/${id}`, { token: ben.token })).status).toBe(404);
    expect((await request(server, 'POST', `/api/activities/${id}/join`, { token: ben.token })).status).toBe(404);
  });
});
