import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { futureInstant, registerUser, request, startTestServer, type TestServer, type TestUser } from './harness';

/**
 * Stored mutation answers and tombstones are pruned once nobody can need them, and a device whose
 * cursor would need a pruned tombstone is told to start over (410) instead of missing a removal.
 */
describe('history pruning', () => {
  let server: TestServer;
  let ana: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    ana = await registerUser(server, 'Ana');
  });
  afterAll(async () => server.close());

  async function syncAll(cursor?: string): Promise<{ status: number; cursor: string; changes: unknown[]; code?: string }> {
    const changes: unknown[] = [];
    let next = cursor;
    for (;;) {
      const page = await request(server, 'GET', `/api/sync${next ? `?cursor=${next}` : ''}`, { token: ana.token });
      if (page.status !== 200) return { status: page.status, cursor: next ?? '', changes, code: page.body.error.code };
      changes.push(...page.body.changes);
      next = page.body.cursor;
      if (!page.body.hasMore) return { status: 200, cursor: next ?? '', changes };
    }
  }

  const storedAnswers = async () =>
    (await server.app.database.db.selectFrom('mutations').select('mutationId').where('userId', '=', ana.id).execute()).length;
  const tombstones = async () => (await server.app.database.db.selectFrom('tombstones').select('seq').execute()).length;

  it('prunes old answers and tombstones, and sends an old cursor back to a full sync', async () => {
    const created = await request(server, 'POST', '/api/activities', { token: ana.token, body: { title: 'Long ago', startsAt: futureInstant() } });
    const activityId = created.body.id as string;
    const liked = await request(server, 'POST', '/api/mutations', {
      token: ana.token,
      body: { clientId: randomUUID(), mutationId: 1, name: 'activity.like', args: { id: activityId }, createdAt: new Date().toISOString() },
    });
    expect(liked.status).toBe(200);
    const old = await syncAll();
    expect(old.status).toBe(200);

    // The like goes away: a tombstone tells the device that synced it.
    expect((await request(server, 'DELETE', `/api/activities/${activityId}/like`, { token: ana.token })).status).toBe(200);
    expect(await tombstones()).toBeGreaterThan(0);
    expect(await storedAnswers()).toBe(1);

    // Today nothing is old enough: everything stays, and the old cursor still hears of the removal.
    const today = await server.app.maintenance.pruneHistory();
    expect(today).toMatchObject({ mutationsDeleted: 0, tombstonesDeleted: 0 });
    const caughtUp = await syncAll(old.cursor);
    expect(caughtUp.status).toBe(200);
    expect(caughtUp.changes).toContainEqual(expect.objectContaining({ entity: 'like', op: 'delete' }));

    // A month on, both are gone, and a cursor from before is refused rather than left unaware.
    server.advanceClock(31 * 24 * 3_600_000);
    const login = await request(server, 'POST', '/api/auth/login', { body: { email: ana.email, password: ana.password } });
    ana = { ...ana, token: login.body.accessToken as string };
    const later = await server.app.maintenance.pruneHistory();
    expect(later.mutationsDeleted).toBe(1);
    expect(later.tombstonesDeleted).toBeGreaterThan(0);
    expect(await storedAnswers()).toBe(0);
    expect(await tombstones()).toBe(0);
    const refused = await syncAll(old.cursor);
    expect(refused).toMatchObject({ status: 410, code: 'cursor_expired' });

    // Starting over gives the truth: the activity, without the like; its cursor is accepted.
    const fresh = await syncAll();
    expect(fresh.status).toBe(200);
    const entities = fresh.changes.map((change) => (change as { entity: string }).entity);
    expect(entities).toContain('activity');
    expect(entities).not.toContain('like');
    expect((await syncAll(fresh.cursor)).status).toBe(200);
  });
});
