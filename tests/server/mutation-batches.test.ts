import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MUTATION_BATCH, WRITER_HEADER } from '../../protocol';
import { futureInstant, registerUser, request, startTestServer, type TestServer, type TestUser } from './harness';

/**
 * `POST /api/mutations/batch`: a writer's queued mutations in one request, applied in order, each
 * exactly once and answered as it would be alone; it stops at the first answer that is not final.
 */
describe('mutation batches', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    [ana, ben] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben')];
  });
  afterAll(async () => server.close());

  const envelope = (clientId: string, mutationId: number, extra: Record<string, unknown> = {}) => ({ clientId, mutationId, createdAt: new Date().toISOString(), ...extra });
  const create = (clientId: string, mutationId: number, title: string, id = randomUUID()) => ({
    ...envelope(clientId, mutationId, mutationId > 1 ? { afterMutationId: mutationId - 1 } : {}),
    name: 'activity.create',
    args: { id, fields: { title, startsAt: futureInstant() } },
  });
  const batch = (user: TestUser, mutations: unknown[], headers: Record<string, string> = {}) =>
    request(server, 'POST', '/api/mutations/batch', { token: user.token, body: { mutations }, headers });
  const records = async (clientId: string) =>
    (await server.app.database.db.selectFrom('mutations').select(['mutationId', 'httpStatus']).where('clientId', '=', clientId).orderBy('mutationId').execute()).map(
      (row) => `${row.mutationId}:${row.httpStatus}`,
    );

  it('applies each in order, answers each, and a repeat of the batch answers the same and changes nothing', async () => {
    const clientId = randomUUID();
    const id = randomUUID();
    const mutations = [
      create(clientId, 1, 'Batched run', id),
      { ...envelope(clientId, 2, { afterMutationId: 1 }), name: 'activity.like', args: { id } },
      { ...envelope(clientId, 3, { afterMutationId: 2 }), name: 'activity.like', args: { id: randomUUID() } },
      { ...envelope(clientId, 4, { afterMutationId: 3 }), name: 'activity.update', args: { id, changes: { title: 'Batched run, later' }, baseVersion: 2 } },
    ];
    const first = await batch(ana, mutations);
    expect(first.status).toBe(200);
    expect(first.body.answers.map((a: { httpStatus: number }) => a.httpStatus)).toEqual([200, 200, 404, 200]);
    expect(first.body.answers[2].body).toMatchObject({ error: { code: 'not_found' }, mutation: { clientId, mutationId: 3 } });
    expect(first.body.answers[3].body).toMatchObject({ status: 'applied', activity: { title: 'Batched run, later', version: 3, likeCount: 1 } });

    const again = await batch(ana, mutations);
    expect(again.body).toEqual(first.body);
    expect(await records(clientId)).toEqual(['1:200', '2:200', '3:404', '4:200']);
    expect((await request(server, 'GET', `/api/activities/${id}`, { token: ana.token })).body).toMatchObject({ version: 3, likeCount: 1 });
  });

  it('refuses a malformed mutation alone, and stops at a gap: what follows is not applied and may come again', async () => {
    const clientId = randomUUID();
    const malformed = { ...envelope(clientId, 2, { afterMutationId: 1 }), name: 'activity.create', args: { id: randomUUID(), fields: { title: '' } } };
    const gap = create(clientId, 9, 'After a gap');
    const behind = create(clientId, 10, 'Behind the gap');
    const answered = await batch(ana, [create(clientId, 1, 'Fine'), malformed, create(clientId, 3, 'Also fine'), gap, behind]);
    expect(answered.body.answers.map((a: { httpStatus: number }) => a.httpStatus)).toEqual([200, 400, 200, 425]);
    expect(answered.body.answers[1].body).toMatchObject({ error: { code: 'invalid_input' }, mutation: { mutationId: 2 } });
    expect(answered.body.answers[3].body).toMatchObject({ error: { code: 'mutation_gap' }, mutation: { mutationId: 9 } });
    // The gap is not recorded, and the one behind it was never tried.
    expect(await records(clientId)).toEqual(['1:200', '2:400', '3:200']);
  });

  it('is refused whole when it is not a batch of one writer', async () => {
    const clientId = randomUUID();
    const tooMany = Array.from({ length: MAX_MUTATION_BATCH + 1 }, (_, i) => create(clientId, i + 1, `Item ${i}`));
    expect((await batch(ana, tooMany)).status).toBe(400);
    expect((await batch(ana, [])).status).toBe(400);
    // An item that does not name itself cannot be answered.
    expect((await batch(ana, [{ name: 'activity.like', args: { id: randomUUID() } }])).status).toBe(400);
    const asSomeoneElse = await batch(ben, [create(clientId, 1, 'Not Ben')], { [WRITER_HEADER]: ana.id });
    expect(asSomeoneElse.status).toBe(403);
    expect((await request(server, 'POST', '/api/mutations/batch', { body: { mutations: [create(clientId, 1, 'Nobody')] } })).status).toBe(401);
    expect(await records(clientId)).toEqual([]);
  });
});
