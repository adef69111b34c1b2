import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directConversationId, MESSAGE_PAGE_SIZE, type Ack, type Mutation, type MutationApplied, type ServerToClientEvents } from '../../protocol';
import { OFFLINE_GRACE_MS, SOCKET_LIMITS } from '../../server/realtime/chat-sockets';
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
} from './harness';
import { freshReplica, SyncReplica } from './sync-client';

const CLIENT = randomUUID();
let mutationCounter = 0;

function sendMutation(conversationId: string, body: string, kind: 'text' | 'announcement' = 'text', id: string = randomUUID()): Mutation {
  return { clientId: CLIENT, mutationId: ++mutationCounter, createdAt: new Date().toISOString(), name: 'message.send', args: { id, conversationId, body, kind } };
}

/** Collects every event of one name a socket receives. */
function collect<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  (socket as unknown as { on: (e: string, cb: (payload: unknown) => void) => void }).on(event, (payload) => seen.push(payload as never));
  return seen;
}

const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

describe('chat', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  let cleo: TestUser;
  let activityId: string;
  const sockets = useSockets();

  const socketOf = (user: TestUser) => sockets.connect(server, user);

  async function send(socket: ClientSocket, mutation: Mutation): Promise<Ack<MutationApplied>> {
    return socket.timeout(5000).emitWithAck('message:send', mutation);
  }

  beforeAll(async () => {
    server = await startTestServer({ ACCESS_TOKEN_TTL_SECONDS: '900' });
    [ana, ben, cleo] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben'), await registerUser(server, 'Cleo')];
    const created = await request(server, 'POST', '/api/activities', { token: ana.token, body: { title: 'Climb', startsAt: futureInstant() } });
    activityId = created.body.id;
    await request(server, 'POST', `/api/activities/${activityId}/join`, { token: ben.token });
  });
  afterAll(async () => server.close());

  it('carries messages both ways in an activity room, and none to a non-member', async () => {
    const [anaSocket, benSocket, cleoSocket] = [await socketOf(ana), await socketOf(ben), await socketOf(cleo)];
    const cleoHeard = collect(cleoSocket, 'message:new');
    const toBen = nextEvent(benSocket, 'message:new');
    const sent = await send(anaSocket, sendMutation(activityId, 'Ropes at 9?'));
    expect(sent.ok).toBe(true);
    expect((await toBen).message).toMatchObject({ body: 'Ropes at 9?', senderId: ana.id, senderName: 'Ana', conversationId: activityId });
    const toAna = nextEvent(anaSocket, 'message:new');
    expect((await send(benSocket, sendMutation(activityId, 'Yes!'))).ok).toBe(true);
    expect((await toAna).message.body).toBe('Yes!');

    const refused = await send(cleoSocket, sendMutation(activityId, 'let me in'));
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await settle();
    expect(cleoHeard).toEqual([]);
  });

  it('applies a message once however often it is sent, by socket or HTTP', async () => {
    const anaSocket = await socketOf(ana);
    const mutation = sendMutation(activityId, 'Once only');
    const first = await send(anaSocket, mutation);
    const again = await send(anaSocket, mutation);
    const overHttp = await request(server, 'POST', '/api/mutations', { token: ana.token, body: mutation });
    expect(first.ok && again.ok).toBe(true);
    if (first.ok && again.ok) expect(again.data).toEqual(first.data);
    expect(overHttp.status).toBe(200);
    // The same message id under a new mutation id (a retry from the failed list) is no new message.
    const retried = await send(anaSocket, sendMutation(activityId, 'Once only', 'text', (mutation.args as { id: string }).id));
    expect(retried).toMatchObject({ ok: true, data: { resolution: 'unchanged' } });
    const replica = await freshReplica(server, ana);
    expect(replica.keys().filter((key) => key === `message/${(mutation.args as { id: string }).id}`)).toHaveLength(1);
  });

  it('opens a direct conversation under the id both sides compute, and refuses a made-up one', async () => {
    const [anaSocket, cleoSocket] = [await socketOf(ana), await socketOf(cleo)];
    const id = await directConversationId(ana.id, cleo.id);
    expect(id).toBe(await directConversationId(cleo.id, ana.id));
    const cleoHears = nextEvent(cleoSocket, 'conversation:new');
    const opened = await send(anaSocket, { clientId: CLIENT, mutationId: ++mutationCounter, createdAt: new Date().toISOString(), name: 'conversation.open', args: { id, peerId: cleo.id } });
    expect(opened).toMatchObject({ ok: true, data: { conversation: { id, kind: 'direct' } } });
    expect((await cleoHears).conversation.participants.map((p) => p.displayName).sort()).toEqual(['Ana', 'Cleo']);

    const toCleo = nextEvent(cleoSocket, 'message:new');
    expect((await send(anaSocket, sendMutation(id, 'Hi Cleo'))).ok).toBe(true);
    expect((await toCleo).message.body).toBe('Hi Cleo');

    const wrong = await send(anaSocket, { clientId: CLIENT, mutationId: ++mutationCounter, createdAt: new Date().toISOString(), name: 'conversation.open', args: { id: randomUUID(), peerId: cleo.id } });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // Ben is no part of it.
    const benSocket = await socketOf(ben);
    expect(await send(benSocket, sendMutation(id, 'hello?'))).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('syncs the newest page of each conversation, serves older pages, and follows joins and leaves', async () => {
    const created = await request(server, 'POST', '/api/activities', { token: ana.token, body: { title: 'Long talk', startsAt: futureInstant() } });
    const roomId: string = created.body.id;
    const anaSocket = await socketOf(ana);
    const total = MESSAGE_PAGE_SIZE + 20;
    // Over HTTP: a script on the socket would meet its flood limit.
    for (let i = 1; i <= total; i++) {
      const result = await request(server, 'POST', '/api/mutations', { token: ana.token, body: sendMutation(roomId, `m${i}`) });
      expect(result.status).toBe(200);
    }
    const benReplica = new SyncReplica(server, ben);
    await benReplica.pullUntilDone(37);
    expect(benReplica.keys().some((key) => key === `conversation/${roomId}`)).toBe(false);

    await request(server, 'POST', `/api/activities/${roomId}/join`, { token: ben.token });
    await benReplica.pullUntilDone(37);
    const bodies = () =>
      [...benReplica.rows.entries()]
        .filter(([key, row]) => key.startsWith('message/') && (row.data as { conversationId: string }).conversationId === roomId)
        .map(([, row]) => row.data as { body: string; seq: number })
        .sort((a, b) => a.seq - b.seq);
    // Joining delivers the room with its newest page only.
    expect(bodies().map((m) => m.body)).toEqual(Array.from({ length: MESSAGE_PAGE_SIZE }, (_, i) => `m${i + 21}`));
    expect((await freshReplica(server, ben, 23)).canonical()).toEqual(benReplica.canonical());

    const oldest = bodies()[0]!.seq;
    const older = await request(server, 'GET', `/api/conversations/${roomId}/messages?before=${oldest}&limit=15`, { token: ben.token });
    expect(older.status).toBe(200);
    expect(older.body.messages.map((m: { body: string }) => m.body)).toEqual(Array.from({ length: 15 }, (_, i) => `m${i + 6}`));
    expect(older.body.hasMore).toBe(true);
    expect((await request(server, 'GET', `/api/conversations/${roomId}/messages?before=${oldest}`, { token: cleo.token })).status).toBe(404);
    expect((await request(server, 'GET', `/api/conversations/${roomId}/messages?before=nope`, { token: ben.token })).status).toBe(400);

    await send(anaSocket, sendMutation(roomId, 'after join'));
    await benReplica.pullUntilDone();
    expect(bodies().at(-1)!.body).toBe('after join');

    expect((await request(server, 'DELETE', `/api/activities/${roomId}/join`, { token: ben.token })).status).toBe(200);
    await benReplica.pullUntilDone();
    expect(benReplica.keys().some((key) => key === `conversation/${roomId}`)).toBe(false);
    expect(bodies()).toEqual([]);
    expect((await freshReplica(server, ben)).canonical()).toEqual(benReplica.canonical());
  });

  it('moves receipts forward only, never past the newest message, and tells the room', async () => {
    const [anaSocket, benSocket] = [await socketOf(ana), await socketOf(ben)];
    const sent = await send(anaSocket, sendMutation(activityId, 'Read me'));
    if (!sent.ok) throw new Error('send failed');
    const seq = sent.data.message!.seq;
    const anaHears = nextEvent(anaSocket, 'receipt:updated');
    const delivered = await benSocket.emitWithAck('receipt:update', { updates: [{ conversationId: activityId, deliveredSeq: seq + 1000 }] });
    expect(delivered).toEqual({ ok: true, data: [{ conversationId: activityId, deliveredSeq: seq, readSeq: expect.any(Number) }] });
    expect((await anaHears).receipt).toMatchObject({ userId: ben.id, deliveredSeq: seq });
    const read = await benSocket.emitWithAck('receipt:update', { updates: [{ conversationId: activityId, readSeq: seq }] });
    expect(read).toMatchObject({ ok: true, data: [{ deliveredSeq: seq, readSeq: seq }] });
    const backwards = await benSocket.emitWithAck('receipt:update', { updates: [{ conversationId: activityId, readSeq: 1 }] });
    expect(backwards).toMatchObject({ ok: true, data: [{ readSeq: seq }] });
    // A conversation Ben takes no part in is refused alone; the rest of the batch lands.
    const mixed = await benSocket.emitWithAck('receipt:update', {
      updates: [
        { conversationId: await directConversationId(ana.id, cleo.id), readSeq: 1 },
        { conversationId: activityId, readSeq: seq },
      ],
    });
    expect(mixed).toMatchObject({ ok: true, data: [{ error: { code: 'not_found' } }, { conversationId: activityId, readSeq: seq }] });
    const junk = await benSocket.emitWithAck('receipt:update', { updates: [{ conversationId: 'x' }] } as never);
    expect(junk).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('shows typing to the room, and stops it when the typer disconnects', async () => {
    const [anaSocket, benSocket, cleoSocket] = [await socketOf(ana), await socketOf(ben), await socketOf(cleo)];
    const cleoHeard = collect(cleoSocket, 'typing');
    const starts = nextEvent(anaSocket, 'typing');
    expect(await benSocket.emitWithAck('typing:start', { conversationId: activityId })).toEqual({ ok: true, data: null });
    expect(await starts).toEqual({ conversationId: activityId, userId: ben.id, displayName: 'Ben', typing: true });
    const stops = nextEvent(anaSocket, 'typing');
    benSocket.disconnect();
    expect(await stops).toMatchObject({ userId: ben.id, typing: false });
    expect(await cleoSocket.emitWithAck('typing:start', { conversationId: activityId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await settle();
    expect(cleoHeard).toEqual([]);
  });

  it('keeps a user online while any connection is open, and announces offline with a last-seen time', async () => {
    const anaSocket = await socketOf(ana);
    const benTabs = [await socketOf(ben), await socketOf(ben)];
    const online = await anaSocket.emitWithAck('presence:query', { userIds: [ben.id] });
    expect(online).toMatchObject({ ok: true, data: [{ userId: ben.id, status: 'online' }] });
    const heard = collect(anaSocket, 'presence');
    benTabs[0]!.disconnect();
    await settle(OFFLINE_GRACE_MS + 300);
    expect(heard.filter((p) => p.userId === ben.id && p.status === 'offline')).toEqual([]);
    expect(await anaSocket.emitWithAck('presence:query', { userIds: [ben.id] })).toMatchObject({ ok: true, data: [{ status: 'online' }] });
    const started = Date.now();
    const offline = new Promise<number>((resolve) => anaSocket.on('presence', (p) => p.userId === ben.id && p.status === 'offline' && resolve(Date.now())));
    benTabs[1]!.disconnect();
    expect((await offline) - started).toBeLessThan(10_000);
    const after = await anaSocket.emitWithAck('presence:query', { userIds: [ben.id] });
    expect(after).toMatchObject({ ok: true, data: [{ status: 'offline', lastSeenAt: expect.any(String) }] });
  });

  it('sets away and back', async () => {
    const [anaSocket, benSocket] = [await socketOf(ana), await socketOf(ben)];
    const statuses = collect(anaSocket, 'presence');
    await benSocket.emitWithAck('presence:set', { state: 'away' });
    await settle();
    expect(statuses.filter((p) => p.userId === ben.id).at(-1)).toMatchObject({ status: 'away' });
    await benSocket.emitWithAck('presence:set', { state: 'online' });
    await settle();
    expect(statuses.filter((p) => p.userId === ben.id).at(-1)).toMatchObject({ status: 'online' });
  });

  it('limits a flood from one socket while other users carry on', async () => {
    const [anaSocket, benSocket] = [await socketOf(ana), await socketOf(ben)];
    const flood = await Promise.all(Array.from({ length: SOCKET_LIMITS.messages.capacity + 30 }, (_, i) => send(benSocket, sendMutation(activityId, `spam ${i}`))));
    const limited = flood.filter((ack) => !ack.ok && ack.error.code === 'rate_limited');
    expect(limited.length).toBeGreaterThanOrEqual(25);
    expect(limited[0]).toMatchObject({ ok: false, error: { retryAfterMs: expect.any(Number) } });
    const typingFlood = await Promise.all(Array.from({ length: 20 }, () => benSocket.emitWithAck('typing:start', { conversationId: activityId })));
    expect(typingFlood.filter((ack) => !ack.ok).length).toBeGreaterThan(10);
    // Ana is not slowed down by Ben's flood.
    const ok = await Promise.all(Array.from({ length: 5 }, (_, i) => send(anaSocket, sendMutation(activityId, `normal ${i}`))));
    expect(ok.every((ack) => ack.ok)).toBe(true);
    // What was refused was not stored.
    const replica = await freshReplica(server, ana);
    const spam = [...replica.rows.values()].filter((row) => String((row.data as { body?: string }).body ?? '').startsWith('spam '));
    expect(spam.length).toBe(flood.filter((ack) => ack.ok).length);
  });

  it('sends check-ins and announcements live to members only', async () => {
    const [anaSocket, benSocket, cleoSocket] = [await socketOf(ana), await socketOf(ben), await socketOf(cleo)];
    // The live collections, read at the end: a copy taken now would stay empty whatever arrives.
    const cleoCheckins = collect(cleoSocket, 'activity:checked_in');
    const cleoAnnouncements = collect(cleoSocket, 'announcement:new');
    const cleoAll: unknown[] = [];
    cleoSocket.onAny((event: string) => cleoAll.push(event));
    const anaHearsCheckin = nextEvent(anaSocket, 'activity:checked_in');
    const checkedIn = await request(server, 'POST', '/api/mutations', {
      token: ben.token,
      body: { clientId: CLIENT, mutationId: ++mutationCounter, createdAt: new Date().toISOString(), name: 'activity.checkin', args: { id: activityId } },
    });
    expect(checkedIn.status).toBe(200);
    expect(await anaHearsCheckin).toMatchObject({ activityId, userId: ben.id, checkinCount: 1 });

    const benHearsAnnouncement = nextEvent(benSocket, 'announcement:new');
    expect((await send(anaSocket, sendMutation(activityId, 'Meet at the gate', 'announcement'))).ok).toBe(true);
    expect((await benHearsAnnouncement).message).toMatchObject({ kind: 'announcement', body: 'Meet at the gate' });
    expect(await send(benSocket, sendMutation(activityId, 'I am the boss now', 'announcement'))).toMatchObject({ ok: false, error: { code: 'host_only' } });
    // Ana and Ben have heard both events by now; give any stray copy to Cleo the same time to land.
    await settle();
    expect(cleoCheckins).toEqual([]);
    expect(cleoAnnouncements).toEqual([]);
    expect(cleoAll.filter((event) => event !== 'presence')).toEqual([]);
  });
});
