import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConflictStrategy } from '../../protocol';
import { createAccessTokenIssuer } from '../../server/auth/access-tokens';
import { loadOrCreateSecrets } from '../../server/secrets';
import { futureInstant, registerUser, request, startTestServer, type TestServer, type TestUser } from './harness';

describe('mutations', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    ana = await registerUser(server, 'Ana');
    ben = await registerUser(server, 'Ben');
  });
  afterAll(async () => server.close());

  /** One device: a client id and its increasing mutation ids. */
  function device(user: TestUser) {
    const clientId = randomUUID();
    let next = 0;
    return {
      clientId,
      send(name: string, args: Record<string, unknown>, options: { mutationId?: number; createdAt?: string } = {}) {
        const mutationId = options.mutationId ?? ++next;
        return request(server, 'POST', '/api/mutations', {
          token: user.token,
          body: { clientId, mutationId, name, args, createdAt: options.createdAt ?? new Date().toISOString() },
        });
      },
    };
  }

  const fields = (title = 'Run') => ({ title, location: 'Park', startsAt: futureInstant() });

  it('applies a mutation once: a replay answers the stored result and changes nothing', async () => {
    const phone = device(ana);
    const id = randomUUID();
    const created = await phone.send('activity.create', { id, fields: fields() });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: 'applied', resolution: 'applied', activity: { id, title: 'Run', version: 1 } });

    const like = await phone.send('activity.like', { id });
    const replay = await phone.send('activity.like', { id }, { mutationId: like.body.mutationId });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(like.body);
    const again = await phone.send('activity.create', { id, fields: fields('Other') }, { mutationId: created.body.mutationId });
    expect(again.body).toEqual(created.body);

    const stored = await request(server, 'GET', `/api/activities/${id}`, { token: ana.token });
    expect(stored.body).toMatchObject({ title: 'Run', likeCount: 1, version: 2 });
  });

  it('applies two copies arriving at the same moment once', async () => {
    const phone = device(ana);
    const id = randomUUID();
    const copies = await Promise.all(Array.from({ length: 6 }, () => phone.send('activity.create', { id, fields: fields('Twins') }, { mutationId: 1 })));
    expect(new Set(copies.map((c) => c.status))).toEqual(new Set([200]));
    for (const copy of copies) expect(copy.body).toEqual(copies[0]!.body);
    const likes = await Promise.all(Array.from({ length: 6 }, () => phone.send('activity.like', { id }, { mutationId: 2 })));
    for (const copy of likes) expect(copy.body).toEqual(likes[0]!.body);
    const stored = await request(server, 'GET', `/api/activities/${id}`, { token: ana.token });
    expect(stored.body).toMatchObject({ likeCount: 1, version: 2 });
    const mine = await request(server, 'GET', `/api/activities?scope=owned-by&userId=${ana.id}&limit=100`, { token: ana.token });
    expect(mine.body.items.filter((a: { title: string }) => a.title === 'Twins')).toHaveLength(1);
  });

  it('applies one client’s mutations in order, and the sync feed says how far it got', async () => {
    const phone = device(ana);
    const id = randomUUID();
    await phone.send('activity.create', { id, fields: fields('Ordered') });
    await phone.send('activity.update', { id, changes: { title: 'Ordered, renamed' }, baseVersion: 1 });
    await phone.send('activity.like', { id });
    const stored = await request(server, 'GET', `/api/activities/${id}`, { token: ana.token });
    expect(stored.body).toMatchObject({ title: 'Ordered, renamed', likeCount: 1, version: 3 });
    const sync = await request(server, 'GET', `/api/sync?clientId=${phone.clientId}&limit=1`, { token: ana.token });
    expect(sync.body.lastMutationId).toBe(3);
    const other = await request(server, 'GET', `/api/sync?clientId=${randomUUID()}&limit=1`, { token: ana.token });
    expect(other.body.lastMutationId).toBe(0);
  });

  it('records a refusal, so a replay is refused the same way', async () => {
    const phone = device(ben);
    const id = randomUUID();
    await device(ana).send('activity.create', { id, fields: fields('Not yours') });
    const refused = await phone.send('activity.update', { id, changes: { title: 'Mine now' }, baseVersion: 1 });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'forbidden' }, mutation: { clientId: phone.clientId, mutationId: 1 } });
    const replay = await phone.send('activity.update', { id, changes: { title: 'Mine now' }, baseVersion: 1 }, { mutationId: 1 });
    expect(replay.status).toBe(403);
    expect(replay.body).toEqual(refused.body);

    const invalid = await phone.send('activity.update', { id, changes: { title: '' }, baseVersion: 1 });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: { code: 'invalid_input', fields: { 'args.changes.title': 'is required' } }, mutation: { mutationId: 2 } });
    const notFound = await phone.send('activity.like', { id: randomUUID() });
    expect(notFound.status).toBe(404);
  });

  it('answers a bad or expired token with 401 and records nothing, so the retry after a refresh applies', async () => {
    const phone = device(ana);
    const id = randomUUID();
    const body = { clientId: phone.clientId, mutationId: 1, name: 'activity.create', args: { id, fields: fields('After refresh') }, createdAt: new Date().toISOString() };
    // Signed with the server's own secret but already expired: the token names Ana, so a server
    // that took its subject on trust would have someone to record the refusal against.
    const secret = loadOrCreateSecrets(server.config).jwtSecret;
    const expired = await createAccessTokenIssuer(secret, 60, () => new Date(Date.now() - 3_600_000)).issue({ id: ana.id, displayName: 'Ana' }, randomUUID());
    for (const token of ['not-a-token', expired.token]) {
      const refused = await request(server, 'POST', '/api/mutations', { token, body });
      expect(refused.status).toBe(401);
    }
    expect(await mutationRecordsOf(phone.clientId)).toEqual({ mutations: [], clients: [] });

    // The device refreshes its token and sends the same mutation again: it is applied, not refused from a record.
    const applied = await request(server, 'POST', '/api/mutations', { token: ana.token, body });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ status: 'applied', activity: { id, title: 'After refresh' } });
    // And the records this test reads are the ones the server writes.
    expect(await mutationRecordsOf(phone.clientId)).toEqual({
      mutations: [{ userId: ana.id, mutationId: 1, httpStatus: 200 }],
      clients: [{ userId: ana.id, lastMutationId: 1 }],
    });
  });

  /** What the server's own tables hold for one client id: its mutation records and its progress. */
  async function mutationRecordsOf(clientId: string) {
    const db = server.app.database.db;
    const mutations = await db.selectFrom('mutations').select(['userId', 'mutationId', 'httpStatus']).where('clientId', '=', clientId).execute();
    const clients = await db.selectFrom('mutationClients').select(['userId', 'lastMutationId']).where('clientId', '=', clientId).execute();
    // Postgres and SQLite may hand back integers as strings or numbers.
    return {
      mutations: mutations.map((m) => ({ ...m, mutationId: Number(m.mutationId), httpStatus: Number(m.httpStatus) })),
      clients: clients.map((c) => ({ ...c, lastMutationId: Number(c.lastMutationId) })),
    };
  }

  describe('conflicting edits (the same organizer on two devices, both offline)', () => {
    async function conflict(strategy: ConflictStrategy, second: { changes: Record<string, unknown>; createdAt?: string }, firstChanges: Record<string, unknown> = { title: 'Phone title' }) {
      const phone = device(ana);
      const laptop = device(ana);
      const id = randomUUID();
      const created = await phone.send('activity.create', { id, fields: fields('Run') });
      const base = {
        title: 'Run',
        description: '',
        location: 'Park',
        startsAt: created.body.activity.startsAt,
        endsAt: null,
        capacity: null,
        visibility: 'public',
      };
      const first = await phone.send('activity.update', { id, changes: firstChanges, baseVersion: 1, base });
      expect(first.body.resolution).toBe('applied');
      const result = await laptop.send(
        'activity.update',
        { id, changes: second.changes, baseVersion: 1, base, strategy },
        second.createdAt ? { createdAt: second.createdAt } : {},
      );
      const final = (await request(server, 'GET', `/api/activities/${id}`, { token: ana.token })).body;
      return { result, final };
    }

    it('last-write-wins: the later edit overwrites the fields it names', async () => {
      const { result, final } = await conflict('last-write-wins', { changes: { title: 'Laptop title' } });
      expect(result.body.resolution).toBe('applied');
      expect(final).toMatchObject({ title: 'Laptop title', location: 'Park' });
    });

    it("fail-on-conflict: 409 with the server's copy, nothing changes", async () => {
      const { result, final } = await conflict('fail-on-conflict', { changes: { title: 'Laptop title' } });
      expect(result.status).toBe(409);
      expect(result.body.error).toMatchObject({ code: 'conflict', current: { title: 'Phone title', version: 2 } });
      expect(final).toMatchObject({ title: 'Phone title', version: 2 });
    });

    it('server-wins: the server row stays', async () => {
      const { result, final } = await conflict('server-wins', { changes: { title: 'Laptop title', location: 'Lake' } });
      expect(result.body).toMatchObject({ status: 'applied', resolution: 'server-wins', activity: { title: 'Phone title' } });
      expect(final).toMatchObject({ title: 'Phone title', location: 'Park', version: 2 });
    });

    it("client-wins: the laptop's whole copy replaces the phone's edit", async () => {
      const { result, final } = await conflict('client-wins', { changes: { location: 'Lake' } });
      expect(result.body.resolution).toBe('client-wins');
      expect(final).toMatchObject({ title: 'Run', location: 'Lake' });
    });

    it('newest-wins: an edit made before the server change loses, one made after wins', async () => {
      const older = await conflict('newest-wins', { changes: { title: 'Laptop title' }, createdAt: new Date(Date.now() - 60_000).toISOString() });
      expect(older.result.body.resolution).toBe('server-wins');
      expect(older.final.title).toBe('Phone title');
      const newer = await conflict('newest-wins', { changes: { title: 'Laptop title' }, createdAt: new Date(Date.now() + 60_000).toISOString() });
      expect(newer.result.body.resolution).toBe('newest-wins');
      expect(newer.final.title).toBe('Laptop title');
    });

    it('merge: fields changed on one side each survive; one changed on both sides is a conflict', async () => {
      const merged = await conflict('merge', { changes: { location: 'Lake' } });
      expect(merged.result.body.resolution).toBe('merged');
      expect(merged.final).toMatchObject({ title: 'Phone title', location: 'Lake' });
      const clash = await conflict('merge', { changes: { title: 'Laptop title', location: 'Lake' } });
      expect(clash.result.status).toBe(409);
      expect(clash.result.body.error.fields).toEqual({ title: 'was changed by someone else' });
      expect(clash.final).toMatchObject({ title: 'Phone title', location: 'Park' });
    });
  });

  describe('bulk endpoints', () => {
    it('settles each check-in on its own and maps offline ids to server ids', async () => {
      const phone = device(ana);
      const joined = randomUUID();
      const stranger = randomUUID();
      await device(ben).send('activity.create', { id: joined, fields: fields('Joined') });
      await device(ben).send('activity.create', { id: stranger, fields: fields('Not joined') });
      await phone.send('activity.join', { id: joined });
      const at = new Date(Date.now() - 3_600_000).toISOString();
      const first = await request(server, 'POST', '/api/sync/checkins/bulk', {
        token: ana.token,
        body: {
          items: [
            { offlineId: 'c1', activityId: joined, checkedInAt: at },
            { offlineId: 'c2', activityId: stranger, checkedInAt: at },
            { offlineId: 'c3', activityId: randomUUID(), checkedInAt: at },
          ],
        },
      });
      expect(first.status).toBe(200);
      expect(first.body.results).toEqual([
        { offlineId: 'c1', status: 'applied', id: `${joined}:${ana.id}` },
        { offlineId: 'c2', status: 'rejected', error: expect.objectContaining({ code: 'forbidden' }) },
        { offlineId: 'c3', status: 'rejected', error: expect.objectContaining({ code: 'not_found' }) },
      ]);
      const later = new Date().toISOString();
      const serverWins = await request(server, 'POST', '/api/sync/checkins/bulk', {
        token: ana.token,
        body: { items: [{ offlineId: 'c4', activityId: joined, checkedInAt: later }], conflictResolution: 'server-wins' },
      });
      expect(serverWins.body.results[0].status).toBe('unchanged');
      const clientWins = await request(server, 'POST', '/api/sync/checkins/bulk', {
        token: ana.token,
        body: { items: [{ offlineId: 'c5', activityId: joined, checkedInAt: later }], conflictResolution: 'client-wins' },
      });
      expect(clientWins.body.results[0].status).toBe('applied');
      const activity = await request(server, 'GET', `/api/activities/${joined}`, { token: ana.token });
      expect(activity.body).toMatchObject({ checkinCount: 1, viewer: { checkedIn: true } });
    });

    it('settles each RSVP on its own, with conflicts resolved as asked', async () => {
      const open = randomUUID();
      const full = randomUUID();
      await device(ben).send('activity.create', { id: open, fields: fields('Open') });
      await device(ben).send('activity.create', { id: full, fields: { ...fields('Full'), capacity: 1 } });
      const rsvps = await request(server, 'POST', '/api/sync/rsvps/bulk', {
        token: ana.token,
        body: {
          items: [
            { offlineId: 'r1', activityId: open, going: true },
            { offlineId: 'r2', activityId: full, going: true },
            { offlineId: 'r3', activityId: open, going: true },
          ],
        },
      });
      expect(rsvps.body.results).toEqual([
        { offlineId: 'r1', status: 'applied', id: `${open}:${ana.id}` },
        { offlineId: 'r2', status: 'rejected', error: expect.objectContaining({ code: 'capacity_full' }) },
        { offlineId: 'r3', status: 'unchanged', id: `${open}:${ana.id}` },
      ]);
      // The device thought Ana was not going and says "not going"; the server (another device)
      // has her going. server-wins keeps her going; client-wins takes her out.
      const kept = await request(server, 'POST', '/api/sync/rsvps/bulk', {
        token: ana.token,
        body: { items: [{ offlineId: 'r4', activityId: open, going: false, wasGoing: false }], conflictResolution: 'server-wins' },
      });
      expect(kept.body.results[0].status).toBe('unchanged');
      expect((await request(server, 'GET', `/api/activities/${open}`, { token: ana.token })).body).toMatchObject({ memberCount: 2, viewer: { joined: true } });
      const taken = await request(server, 'POST', '/api/sync/rsvps/bulk', {
        token: ana.token,
        body: { items: [{ offlineId: 'r5', activityId: open, going: false, wasGoing: false }], conflictResolution: 'client-wins' },
      });
      expect(taken.body.results[0].status).toBe('applied');
      // Out as the server holds it, not only as the answer says: Ben (the owner) alone remains.
      expect((await request(server, 'GET', `/api/activities/${open}`, { token: ana.token })).body).toMatchObject({ memberCount: 1, viewer: { joined: false } });
      const members = await server.app.database.db.selectFrom('activityMembers').select('userId').where('activityId', '=', open).execute();
      expect(members.map((m) => m.userId)).toEqual([ben.id]);
      const invalid = await request(server, 'POST', '/api/sync/rsvps/bulk', { token: ana.token, body: { items: [] } });
      expect(invalid.status).toBe(400);
    });
  });
});
