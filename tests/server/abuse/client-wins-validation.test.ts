import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { futureInstant, registerUser, request, startTestServer, type TestServer, type TestUser } from '../harness';

/**
 * `client-wins` stores the client's whole copy of an activity: the `base` the edit started from
 * plus its `changes`. The base must pass the same rules as the changes, or a conflict becomes a
 * way around every limit on an activity's fields.
 */
describe('client-wins edits are validated like any other edit', () => {
  let server: TestServer;
  let ana: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    ana = await registerUser(server, 'Ana');
  });
  afterAll(async () => server.close());

  function device(user: TestUser) {
    const clientId = randomUUID();
    let next = 0;
    return (name: string, args: Record<string, unknown>) =>
      request(server, 'POST', '/api/mutations', {
        token: user.token,
        body: { clientId, mutationId: ++next, name, args, createdAt: new Date().toISOString() },
      });
  }

  /** An activity that another device of Ana's has edited since version 1, so an edit from version 1 conflicts. */
  async function conflictedActivity() {
    const laptop = device(ana);
    const id = randomUUID();
    const startsAt = futureInstant();
    expect((await laptop('activity.create', { id, fields: { title: 'Run', location: 'Park', startsAt } })).status).toBe(200);
    expect((await laptop('activity.update', { id, baseVersion: 1, changes: { location: 'River' } })).status).toBe(200);
    const base = { title: 'Run', description: '', location: 'Park', startsAt, endsAt: null, capacity: null, visibility: 'public' };
    return { id, base };
  }

  async function storedActivity(id: string) {
    return server.app.database.db.selectFrom('activities').select(['title', 'description', 'capacity', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
  }

  it.each([
    ['a 250 KB title', { title: 'x'.repeat(250_000) }, 'args.base.title'],
    ['a blank title', { title: '   ' }, 'args.base.title'],
    ['a capacity of 0', { capacity: 0 }, 'args.base.capacity'],
  ])('refuses %s in the base with 400 and stores nothing', async (_case, bad, field) => {
    const { id, base } = await conflictedActivity();
    const before = await storedActivity(id);
    const phone = device(ana);
    const edit = await phone('activity.update', { id, baseVersion: 1, base: { ...base, ...bad }, changes: { description: 'mine' }, strategy: 'client-wins' });
    expect(edit.status).toBe(400);
    expect(edit.body.error.code).toBe('invalid_input');
    expect(Object.keys(edit.body.error.fields)).toContain(field);
    expect(await storedActivity(id)).toEqual(before);
  });

  it('still lets a valid client-wins edit replace the server\'s copy', async () => {
    const { id, base } = await conflictedActivity();
    const phone = device(ana);
    const edit = await phone('activity.update', { id, baseVersion: 1, base: { ...base, title: '  Run fast  ' }, changes: { description: 'mine' }, strategy: 'client-wins' });
    expect(edit.status).toBe(200);
    expect(edit.body.resolution).toBe('client-wins');
    // The base went through the same rules as a change: trimmed, and the server's location overwritten.
    expect(await storedActivity(id)).toMatchObject({ title: 'Run fast', description: 'mine' });
    expect((await request(server, 'GET', `/api/activities/${id}`, { token: ana.token })).body.location).toBe('Park');
  });
});
