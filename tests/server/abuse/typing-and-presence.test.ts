import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directConversationId, type ServerToClientEvents } from '../../../protocol';
import {
  futureInstant,
  registerUser,
  request,
  startTestServer,
  type ClientSocket,
  type TestServer,
  type TestUser,
  useSockets,
} from '../harness';

/** Collects every event of one name a socket receives. */
function collect<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  (socket as unknown as { on: (e: string, cb: (payload: unknown) => void) => void }).on(event, (payload) => seen.push(payload as never));
  return seen;
}

const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

/** Typing and presence tell others about a person: only what they started, only to those they share something with. */
describe('typing stops and presence answers leak nothing', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  let cleo: TestUser;
  let dan: TestUser;
  let activityId: string;
  const sockets = useSockets();

  const socketOf = (user: TestUser) => sockets.connect(server, user);

  beforeAll(async () => {
    server = await startTestServer({ ACCESS_TOKEN_TTL_SECONDS: '900' });
    [ana, ben, cleo, dan] = [
      await registerUser(server, 'Ana'),
      await registerUser(server, 'Ben'),
      await registerUser(server, 'Cleo'),
      await registerUser(server, 'Dan'),
    ];
    // Ana and Ben share an activity (and its conversation); Cleo and Dan a direct conversation; Cleo shares nothing with Ben.
    const created = await request(server, 'POST', '/api/activities', { token: ana.token, body: { title: 'Climb', startsAt: futureInstant() } });
    activityId = created.body.id;
    await request(server, 'POST', `/api/activities/${activityId}/join`, { token: ben.token });
    const opened = await request(server, 'POST', '/api/mutations', {
      token: cleo.token,
      body: {
        clientId: randomUUID(),
        mutationId: 1,
        createdAt: new Date().toISOString(),
        name: 'conversation.open',
        args: { id: await directConversationId(cleo.id, dan.id), peerId: dan.id },
      },
    });
    expect(opened.status).toBe(200);
  });
  afterAll(async () => server.close());

  it('relays no stop from a socket that never started typing there', async () => {
    const [anaSocket, benSocket] = [await socketOf(ana), await socketOf(ben)];
    const anaHeard = collect(anaSocket, 'typing');
    const acks = await Promise.all(Array.from({ length: 50 }, () => benSocket.emitWithAck('typing:stop', { conversationId: activityId })));
    // Nothing to stop is not an error: the state the sender asks for already holds.
    expect(acks.every((ack) => ack.ok)).toBe(true);
    await settle();
    expect(anaHeard).toEqual([]);

    // A real start still has its stop relayed, once.
    await benSocket.emitWithAck('typing:start', { conversationId: activityId });
    await benSocket.emitWithAck('typing:stop', { conversationId: activityId });
    await benSocket.emitWithAck('typing:stop', { conversationId: activityId });
    await settle();
    expect(anaHeard.map((event) => event.typing)).toEqual([true, false]);
  });

  it("tells a stranger nothing of someone's presence, and a co-member everything", async () => {
    // Dan was here and left: he has a last-seen time now. Ben is online.
    const danSocket = await socketOf(dan);
    danSocket.disconnect();
    const [anaSocket, cleoSocket] = [await socketOf(ana), await socketOf(cleo), await socketOf(ben)];

    const stranger = await cleoSocket.emitWithAck('presence:query', { userIds: [ben.id, ana.id] });
    expect(stranger).toEqual({ ok: true, data: [] });

    const coMember = await anaSocket.emitWithAck('presence:query', { userIds: [ben.id, cleo.id] });
    expect(coMember).toEqual({ ok: true, data: [{ userId: ben.id, status: 'online', lastSeenAt: null }] });

    // A direct conversation is something shared too; and anyone may ask about themselves.
    const mixed = await cleoSocket.emitWithAck('presence:query', { userIds: [dan.id, ben.id, cleo.id] });
    expect(mixed.ok && [...mixed.data].sort((a, b) => a.userId.localeCompare(b.userId))).toEqual(
      [
        { userId: dan.id, status: 'offline', lastSeenAt: expect.any(String) },
        { userId: cleo.id, status: 'online', lastSeenAt: null },
      ].sort((a, b) => a.userId.localeCompare(b.userId)),
    );
  });
});
