import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directConversationId, type Ack, type Mutation, type MutationApplied } from '../../../protocol';
import {
  registerUser,
  request,
  startTestServer,
  type ClientSocket,
  type TestServer,
  type TestUser,
  useSockets,
} from '../harness';

/**
 * A client's mutations land in the order it made them, whichever path carries each. The case
 * that broke: `conversation.open` waits in the service worker's queue while the message sent in
 * it goes over the socket; the server refused the message (404, no such conversation) and
 * recorded the refusal, so sending it again could never succeed. A mutation that names an
 * earlier one not seen yet (`afterMutationId`) is now told `mutation_gap`: retryable, unrecorded.
 */
describe('a client\'s mutations apply in its order, whatever path carries them', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  const sockets = useSockets();

  const socketOf = (user: TestUser) => sockets.connect(server, user);
  const overSocket = (socket: ClientSocket, mutation: Mutation): Promise<Ack<MutationApplied>> => socket.timeout(5000).emitWithAck('message:send', mutation);
  const overHttp = (user: TestUser, mutation: unknown) => request(server, 'POST', '/api/mutations', { token: user.token, body: mutation });
  const lastMutationId = async (user: TestUser, clientId: string) =>
    (await request(server, 'GET', `/api/sync?clientId=${clientId}&limit=1`, { token: user.token })).body.lastMutationId as number;

  beforeAll(async () => {
    server = await startTestServer();
    [ana, ben] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben')];
  });
  afterAll(async () => server.close());

  it('a message that overtakes its conversation is told to wait, not refused, and lands after it', async () => {
    const clientId = randomUUID();
    const at = new Date().toISOString();
    const conversationId = await directConversationId(ana.id, ben.id);
    const openConversation: Mutation = { clientId, mutationId: 1, createdAt: at, name: 'conversation.open', args: { id: conversationId, peerId: ben.id } };
    const message: Mutation = {
      clientId, mutationId: 2, afterMutationId: 1, createdAt: at,
      name: 'message.send', args: { id: randomUUID(), conversationId, body: 'First words', kind: 'text' },
    };
    const anaSocket = await socketOf(ana);

    // The message arrives first, over the socket and over HTTP: a gap, both times, and nothing kept.
    expect(await overSocket(anaSocket, message)).toMatchObject({ ok: false, error: { code: 'mutation_gap' } });
    const early = await overHttp(ana, message);
    expect(early.status).toBe(425);
    expect(early.body.error.code).toBe('mutation_gap');
    expect(await lastMutationId(ana, clientId)).toBe(0);

    // The worker's queue delivers the conversation; the same message, sent again, now lands.
    expect((await overHttp(ana, openConversation)).status).toBe(200);
    const delivered = await overSocket(anaSocket, message);
    expect(delivered).toMatchObject({ ok: true, data: { status: 'applied', message: { conversationId, body: 'First words' } } });
    expect(await lastMutationId(ana, clientId)).toBe(2);

    const messages = await request(server, 'GET', `/api/conversations/${conversationId}/messages?before=1000000000`, { token: ben.token });
    expect(messages.status).toBe(200);
    expect(messages.body.messages.map((m: { body: string }) => m.body)).toEqual(['First words']);
  });

  it('a predecessor the server refused (or that was settled long ago) does not hold the next one', async () => {
    const clientId = randomUUID();
    const at = new Date().toISOString();
    const refused = await overHttp(ana, { clientId, mutationId: 1, createdAt: at, name: 'activity.like', args: { id: randomUUID() } });
    expect(refused.status).toBe(404);
    const created = await overHttp(ana, {
      clientId, mutationId: 2, afterMutationId: 1, createdAt: at,
      name: 'activity.create', args: { id: randomUUID(), fields: { title: 'After a refusal', startsAt: new Date(Date.now() + 3_600_000).toISOString() } },
    });
    expect(created.status).toBe(200);
    // Mutation 3 was given up on by the client and never sent; 4 names 2, the newest it still has outstanding.
    const liked = await overHttp(ana, { clientId, mutationId: 4, afterMutationId: 2, createdAt: at, name: 'activity.like', args: { id: created.body.activity.id } });
    expect(liked.status).toBe(200);
  });

  it('a gap answer is not a record: a client that never sends the predecessor is still told to wait', async () => {
    const clientId = randomUUID();
    const at = new Date().toISOString();
    const waiting: Mutation = { clientId, mutationId: 5, afterMutationId: 4, createdAt: at, name: 'activity.like', args: { id: randomUUID() } };
    for (let i = 0; i < 3; i++) expect((await overHttp(ana, waiting)).status).toBe(425);
    // Naming itself, or a later one, is no order at all.
    const nonsense = await overHttp(ana, { ...waiting, afterMutationId: 5 });
    expect(nonsense.status).toBe(400);
    expect(nonsense.body.error).toMatchObject({ code: 'invalid_input', fields: { afterMutationId: expect.any(String) } });
  });
});
