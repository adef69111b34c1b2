import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directConversationId, type Ack, type Mutation, type MutationApplied } from '../../../protocol';
import {
  futureInstant,
  nextEvent,
  registerUser,
  request,
  startTestServer,
  type ClientSocket,
  type TestServer,
  type TestUser,
  useSockets,
} from '../harness';
import { insertActivityWithOwner } from '../../../server/activities/activity-writes';

/**
 * A direct conversation's id is computable by anyone who knows the two user ids, and an
 * activity's conversation takes the activity's (client-made) id. A third user must not be able to
 * create an activity under that id and so sit in the middle of two people's direct chat.
 */
describe('a direct conversation id cannot be taken by an activity', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  let eve: TestUser;
  let mutationId = 0;
  const clientId = randomUUID();
  const sockets = useSockets();

  const envelope = () => ({ clientId, mutationId: ++mutationId, createdAt: new Date().toISOString() });

  const socketOf = (user: TestUser) => sockets.connect(server, user);

  const send = (socket: ClientSocket, mutation: Mutation): Promise<Ack<MutationApplied>> => socket.timeout(5000).emitWithAck('message:send', mutation);

  beforeAll(async () => {
    server = await startTestServer();
    [ana, ben, eve] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben'), await registerUser(server, 'Eve')];
  });
  afterAll(async () => server.close());

  it('refuses an activity made under the id of two other people\'s direct conversation, and their chat still works', async () => {
    const directId = await directConversationId(ana.id, ben.id);
    const fields = { title: 'In the middle', startsAt: futureInstant() };

    const overRest = await request(server, 'POST', '/api/activities', { token: eve.token, body: { id: directId, ...fields } });
    expect(overRest.status).toBeGreaterThanOrEqual(400);
    expect(overRest.status).toBeLessThan(500);

    const overMutation = await request(server, 'POST', '/api/mutations', {
      token: eve.token,
      body: { ...envelope(), name: 'activity.create', args: { id: directId, fields } },
    });
    expect(overMutation.status).toBe(400);
    expect(overMutation.body.error).toMatchObject({ code: 'invalid_input', fields: { 'args.id': expect.any(String) } });
    // Nothing was made under that id.
    expect((await request(server, 'GET', `/api/activities/${directId}`, { token: eve.token })).status).toBe(404);

    // Ana and Ben open their conversation and talk both ways; Eve hears nothing and cannot post.
    const [anaSocket, benSocket, eveSocket] = [await socketOf(ana), await socketOf(ben), await socketOf(eve)];
    const opened = await send(anaSocket, { ...envelope(), name: 'conversation.open', args: { id: directId, peerId: ben.id } });
    expect(opened).toMatchObject({ ok: true, data: { conversation: { id: directId, kind: 'direct', activityId: null } } });
    if (opened.ok) expect(opened.data.conversation?.participants.map((p) => p.userId).sort()).toEqual([ana.id, ben.id].sort());

    const toBen = nextEvent(benSocket, 'message:new');
    expect((await send(anaSocket, { ...envelope(), name: 'message.send', args: { id: randomUUID(), conversationId: directId, body: 'Hi Ben', kind: 'text' } })).ok).toBe(true);
    expect((await toBen).message).toMatchObject({ conversationId: directId, senderId: ana.id, body: 'Hi Ben' });
    const toAna = nextEvent(anaSocket, 'message:new');
    expect((await send(benSocket, { ...envelope(), name: 'message.send', args: { id: randomUUID(), conversationId: directId, body: 'Hi Ana', kind: 'text' } })).ok).toBe(true);
    expect((await toAna).message).toMatchObject({ conversationId: directId, senderId: ben.id, body: 'Hi Ana' });

    const eveTries = await send(eveSocket, { ...envelope(), name: 'message.send', args: { id: randomUUID(), conversationId: directId, body: 'psst', kind: 'text' } });
    expect(eveTries).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('accepts the ids the page makes (crypto.randomUUID, version 4) and version 7, and refuses other versions', async () => {
    const v4 = crypto.randomUUID();
    const v7 = uuidV7();
    for (const id of [v4, v7]) {
      const made = await request(server, 'POST', '/api/mutations', {
        token: eve.token,
        body: { ...envelope(), name: 'activity.create', args: { id, fields: { title: 'Fine', startsAt: futureInstant() } } },
      });
      expect(made.status).toBe(200);
      expect(made.body.activity.id).toBe(id);
    }
    // A version-1 (time and node) id is not random: refused, naming the field.
    const v1 = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    const refused = await request(server, 'POST', '/api/mutations', {
      token: eve.token,
      body: { ...envelope(), name: 'activity.create', args: { id: v1, fields: { title: 'Not random', startsAt: futureInstant() } } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'invalid_input', fields: { 'args.id': expect.any(String) } });
  });

  it('will not open a direct conversation over a row that is not that pair\'s direct conversation', async () => {
    // A row squatting the id from before ids were checked: Eve's public activity under Ana and
    // Cleo's direct id, which Ana has joined. Opening "the direct chat" must not hand Ana that room.
    const cleo = await registerUser(server, 'Cleo');
    const directId = await directConversationId(ana.id, cleo.id);
    const at = new Date().toISOString();
    await insertActivityWithOwner(
      server.app.database.db,
      {
        id: directId, ownerId: eve.id, title: 'Squat', description: '', location: '', startsAt: futureInstant(), endsAt: null,
        capacity: null, visibility: 'public', memberCount: 1, likeCount: 0, checkinCount: 0, createdAt: at, updatedAt: at, deletedAt: null, version: 1,
        seq: 1, publicSinceSeq: 1,
      },
    );
    expect((await request(server, 'POST', `/api/activities/${directId}/join`, { token: ana.token })).status).toBe(200);

    const anaSocket = await socketOf(ana);
    const opened = await send(anaSocket, { ...envelope(), name: 'conversation.open', args: { id: directId, peerId: cleo.id } });
    expect(opened).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});

/** A version-7 UUID (RFC 9562): 48 bits of milliseconds, then random bits. */
function uuidV7(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const ms = BigInt(Date.now());
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
