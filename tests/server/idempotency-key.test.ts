import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { futureInstant, registerUser, request, startTestServer, type TestServer, type TestUser } from './harness';

/**
 * REST writes carry no client mutation id. With an Idempotency-Key they are recorded like a
 * mutation, so a resend (a lost answer, a retrying script) changes nothing twice; without one each
 * call is a write of its own. Checked against what the server holds, not against the answers.
 */
describe('REST writes under an Idempotency-Key', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    ana = await registerUser(server, 'Ana');
    ben = await registerUser(server, 'Ben');
  });
  afterAll(async () => server.close());

  const ownedBy = async (user: TestUser, title: string) =>
    (await server.app.database.db.selectFrom('activities').select('id').where('ownerId', '=', user.id).where('title', '=', title).execute()).length;
  const create = (user: TestUser, title: string, key?: string) =>
    request(server, 'POST', '/api/activities', {
      token: user.token,
      body: { title, startsAt: futureInstant(), capacity: 1 },
      ...(key ? { headers: { 'idempotency-key': key } } : {}),
    });

  it('creates once, however often and however concurrently the same request comes', async () => {
    const key = randomUUID();
    const body = { title: 'Once', startsAt: futureInstant() };
    const send = () => request(server, 'POST', '/api/activities', { token: ana.token, body, headers: { 'idempotency-key': key } });
    const answers = await Promise.all([send(), send(), send()]);
    const again = await send();
    for (const answer of [...answers, again]) {
      expect(answer.status).toBe(201);
      expect(answer.body.id).toBe(answers[0]!.body.id);
    }
    expect(await ownedBy(ana, 'Once')).toBe(1);
    // The record is the key's alone: no client's lastMutationId moves.
    const clients = await server.app.database.db.selectFrom('mutationClients').select('clientId').where('userId', '=', ana.id).execute();
    expect(clients).toEqual([]);
  });

  it('without a key, each call is a write of its own', async () => {
    await create(ana, 'Twice');
    await create(ana, 'Twice');
    expect(await ownedBy(ana, 'Twice')).toBe(2);
  });

  it('answers a recorded refusal again, even once the write would succeed', async () => {
    const full = (await create(ana, 'Full')).body;
    const key = randomUUID();
    const join = () => request(server, 'POST', `/api/activities/${full.id}/join`, { token: ben.token, headers: { 'idempotency-key': key } });
    expect((await join()).body.error.code).toBe('capacity_full');
    await request(server, 'PATCH', `/api/activities/${full.id}`, { token: ana.token, body: { capacity: 5 } });
    const repeated = await join();
    expect(repeated.status).toBe(409);
    expect(repeated.body.error.code).toBe('capacity_full');
    const members = await server.app.database.db.selectFrom('activityMembers').select('userId').where('activityId', '=', full.id).execute();
    expect(members.map((member) => member.userId)).toEqual([ana.id]);
  });

  it('refuses a key used for another request, and a key that is not printable', async () => {
    const key = randomUUID();
    expect((await create(ana, 'First use', key)).status).toBe(201);
    const reused = await create(ana, 'Second use', key);
    expect(reused.status).toBe(400);
    expect(reused.body.error.fields).toHaveProperty('Idempotency-Key');
    expect(await ownedBy(ana, 'Second use')).toBe(0);
    const bad = await create(ana, 'Bad key', 'a'.repeat(201));
    expect(bad.status).toBe(400);
    expect(await ownedBy(ana, 'Bad key')).toBe(0);
  });

  it('keeps one user’s key apart from another’s', async () => {
    const key = randomUUID();
    const anas = await create(ana, 'Shared key', key);
    const bens = await create(ben, 'Shared key', key);
    expect(bens.status).toBe(201);
    expect(bens.body.id).not.toBe(anas.body.id);
  });
});
