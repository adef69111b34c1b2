import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminReportsPage,
  directConversationId,
  PROTOCOL_VERSION,
  type BlockedUser,
  type Mutation,
  type MutationApplied,
  type ServerToClientEvents,
} from '../../protocol';
import {
  futureInstant,
  nextEvent,
  registerUser,
  request,
  startTestServer,
  useSockets,
  useTwoProcesses,
  type ClientSocket,
  type TestServer,
  type TestUser,
} from './harness';
import { freshReplica } from './sync-client';

/**
 * Blocking and reporting (issue 15): a block refuses the direct chat both ways, hides presence
 * and typing both ways (on one process and across two), and reaches the blocker's other devices
 * through the feed; a report lands once and only administrators read the list.
 */

let counter = 0;
const CLIENT = randomUUID();

function mutation(name: Mutation['name'], args: Record<string, unknown>, clientId = CLIENT): Mutation {
  return { clientId, mutationId: ++counter, createdAt: new Date().toISOString(), name, args } as Mutation;
}

/** Collects every event of one name a socket receives. */
function collect<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  (socket as unknown as { on: (e: string, cb: (payload: unknown) => void) => void }).on(event, (payload) => seen.push(payload as never));
  return seen;
}

async function post(server: TestServer, user: TestUser, body: Mutation) {
  return request<MutationApplied & { error?: { code: string; message: string; fields?: Record<string, string> } }>(server, 'POST', '/api/mutations', {
    token: user.token,
    body,
  });
}

async function block(server: TestServer, user: TestUser, other: TestUser, blocked: boolean) {
  const response = await post(server, user, mutation('user.block', { userId: other.id, blocked }));
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

const sendArgs = (conversationId: string, body: string) => ({ id: randomUUID(), conversationId, body, kind: 'text' });

/**
 * Whether `listener` heard an event of `from` typing: `control` types after `from`, in the same
 * room, and once the listener hears the control, anything of `from` emitted before it has arrived
 * too (one process delivers to one socket in order). No waiting on the clock.
 */
async function typingHeard(listener: ClientSocket, from: ClientSocket, control: { socket: ClientSocket; userId: string }, conversationId: string, fromId: string) {
  const heard = collect(listener, 'typing');
  expect((await from.emitWithAck('typing:start', { conversationId })).ok).toBe(true);
  const controlHeard = new Promise<void>((resolve) => {
    listener.on('typing', (event) => {
      if (event.userId === control.userId && event.typing) resolve();
    });
  });
  expect((await control.socket.emitWithAck('typing:start', { conversationId })).ok).toBe(true);
  await controlHeard;
  await from.emitWithAck('typing:stop', { conversationId });
  await control.socket.emitWithAck('typing:stop', { conversationId });
  return heard.some((event) => event.userId === fromId);
}

describe('blocks and reports', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  let cleo: TestUser;
  let admin: TestUser;
  let roomId: string;
  let directId: string;
  const sockets = useSockets();

  beforeAll(async () => {
    server = await startTestServer({ ACCESS_TOKEN_TTL_SECONDS: '900' });
    [ana, ben, cleo, admin] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben'), await registerUser(server, 'Cleo'), await registerUser(server, 'Admin')];
    server.config.adminUserIds.push(admin.id);
    const created = await request(server, 'POST', '/api/activities', { token: ana.token, body: { title: 'Climb', startsAt: futureInstant() } });
    roomId = created.body.id;
    for (const user of [ben, cleo]) await request(server, 'POST', `/api/activities/${roomId}/join`, { token: user.token });
    directId = await directConversationId(ana.id, ben.id);
    expect((await post(server, ben, mutation('conversation.open', { id: directId, peerId: ana.id }))).status).toBe(200);
  });
  afterAll(async () => server.close());

  it('refuses the blocked person’s direct messages and conversation, both ways, until the unblock', async () => {
    expect((await post(server, ben, mutation('message.send', sendArgs(directId, 'Hi Ana')))).status).toBe(200);
    expect(await block(server, ana, ben, true)).toMatchObject({ status: 'applied', resolution: 'applied' });
    // Blocking again changes nothing.
    expect(await block(server, ana, ben, true)).toMatchObject({ resolution: 'unchanged' });

    const refused = await post(server, ben, mutation('message.send', sendArgs(directId, 'Why not?')));
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('blocked');
    // The blocked person learns they cannot, not who did what.
    expect(refused.body.error?.message).toBe('You can’t message this person.');
    const reopened = await post(server, ben, mutation('conversation.open', { id: directId, peerId: ana.id }));
    expect(reopened.status).toBe(403);
    expect(reopened.body.error?.code).toBe('blocked');
    const fromAna = await post(server, ana, mutation('message.send', sendArgs(directId, 'Still here?')));
    expect(fromAna.status).toBe(403);
    expect(fromAna.body.error?.message).toMatch(/unblock/i);

    // Over the socket the same refusal comes as the ack's error.
    const benSocket = await sockets.connect(server, ben);
    const ack = await benSocket.emitWithAck('message:send', mutation('message.send', sendArgs(directId, 'Socket try')));
    expect(ack).toMatchObject({ ok: false, error: { code: 'blocked' } });
    const stored = await server.app.database.db.selectFrom('messages').select('body').where('conversationId', '=', directId).execute();
    expect(stored.map((row) => row.body)).toEqual(['Hi Ana']);
    // Nor may either call the other.
    const call = await benSocket.emitWithAck('call:invite', { conversationId: directId, kind: 'audio' });
    expect(call).toMatchObject({ ok: false, error: { code: 'blocked' } });
    expect(await server.app.database.db.selectFrom('calls').select('id').where('conversationId', '=', directId).execute()).toEqual([]);

    // Messages in a room they share still go: hiding them is the blocker's devices' part.
    expect((await post(server, ben, mutation('message.send', sendArgs(roomId, 'In the room')))).status).toBe(200);

    await block(server, ana, ben, false);
    expect((await post(server, ben, mutation('message.send', sendArgs(directId, 'Friends again')))).status).toBe(200);
  });

  it('brings the block to the blocker’s other device through the feed and tells it live', async () => {
    const otherDevice = await freshReplica(server, ana, 500, PROTOCOL_VERSION);
    const otherSocket = await sockets.connect(server, ana);
    const told = nextEvent(otherSocket, 'own:changed');
    await block(server, ana, cleo, true);
    await told;
    await otherDevice.pullUntilDone();
    const row = otherDevice.rows.get(`blocked-user/${cleo.id}`);
    expect(row?.data).toMatchObject({ userId: cleo.id, displayName: 'Cleo' } satisfies Partial<BlockedUser>);
    expect((row?.data as BlockedUser).blockedAt).not.toBeNull();
    // Nobody else's feed carries it: not the blocked person's.
    const cleoDevice = await freshReplica(server, cleo, 500, PROTOCOL_VERSION);
    expect([...cleoDevice.rows.keys()].filter((key) => key.startsWith('blocked-user/'))).toEqual([]);

    await block(server, ana, cleo, false);
    await otherDevice.pullUntilDone();
    expect((otherDevice.rows.get(`blocked-user/${cleo.id}`)?.data as BlockedUser).blockedAt).toBeNull();
    // A fresh device of Ana's gets it from the snapshot as it is now.
    expect(((await freshReplica(server, ana, 500, PROTOCOL_VERSION)).rows.get(`blocked-user/${cleo.id}`)?.data as BlockedUser).blockedAt).toBeNull();
    // A page of protocol 6 is never sent the kind.
    expect([...(await freshReplica(server, ana, 500, 6)).rows.keys()].filter((key) => key.startsWith('blocked-user/'))).toEqual([]);
  });

  it('shares neither typing nor presence across a block, either way, while a third member hears both', async () => {
    await block(server, ana, ben, true);
    const [anaSocket, benSocket, cleoSocket] = [await sockets.connect(server, ana), await sockets.connect(server, ben), await sockets.connect(server, cleo)];
    expect(await typingHeard(anaSocket, benSocket, { socket: cleoSocket, userId: cleo.id }, roomId, ben.id)).toBe(false);
    expect(await typingHeard(benSocket, anaSocket, { socket: cleoSocket, userId: cleo.id }, roomId, ana.id)).toBe(false);
    // The control: Cleo hears Ben.
    expect(await typingHeard(cleoSocket, benSocket, { socket: anaSocket, userId: ana.id }, roomId, ben.id)).toBe(true);

    // Ben comes online on another socket: Cleo hears it, Ana does not.
    const anaPresence = collect(anaSocket, 'presence');
    const cleoHeardBen = new Promise<void>((resolve) => cleoSocket.on('presence', (event) => event.userId === ben.id && resolve()));
    await sockets.connect(server, ben);
    await cleoHeardBen;
    // Anything emitted to Ana before the control typing has reached her once the control has.
    const control = new Promise<void>((resolve) => anaSocket.on('typing', (event) => event.userId === cleo.id && resolve()));
    await cleoSocket.emitWithAck('typing:start', { conversationId: roomId });
    await control;
    expect(anaPresence.filter((event) => event.userId === ben.id)).toEqual([]);

    // Asking answers nothing about the other, either way; Cleo still learns both.
    expect(await anaSocket.emitWithAck('presence:query', { userIds: [ben.id] })).toEqual({ ok: true, data: [] });
    expect(await benSocket.emitWithAck('presence:query', { userIds: [ana.id] })).toEqual({ ok: true, data: [] });
    const cleoAsks = await cleoSocket.emitWithAck('presence:query', { userIds: [ana.id, ben.id] });
    expect(cleoAsks.ok && cleoAsks.data.map((presence) => presence.userId).sort()).toEqual([ana.id, ben.id].sort());

    await block(server, ana, ben, false);
    expect(await typingHeard(anaSocket, benSocket, { socket: cleoSocket, userId: cleo.id }, roomId, ben.id)).toBe(true);
  });

  it('stores a report once per mutation, with the message as it was, for administrators only', async () => {
    const sent = await post(server, ben, mutation('message.send', sendArgs(roomId, 'Buy followers now')));
    const messageId = sent.body.message!.id;
    const report = mutation('report.create', { userId: ben.id, messageId, reason: 'spam', text: '  Third time today  ' });
    expect((await post(server, ana, report)).status).toBe(200);
    // The same mutation again (a replay) is answered from its record and stores nothing more.
    expect((await post(server, ana, report)).body).toMatchObject({ status: 'applied' });
    const twice = await request(server, 'POST', '/api/mutations/batch', { token: ana.token, body: { mutations: [report, report] } });
    expect(twice.status).toBe(200);
    // Edited afterwards: the report keeps what was reported.
    expect((await post(server, ben, mutation('message.edit', { id: messageId, body: 'Nothing to see' }))).status).toBe(200);
    expect((await post(server, cleo, mutation('report.create', { userId: ben.id, reason: 'harassment' }))).status).toBe(200);

    const stored = await server.app.database.db.selectFrom('reports').selectAll().where('messageId', '=', messageId).execute();
    expect(stored).toHaveLength(1);

    const forbidden = await request(server, 'GET', '/api/admin/reports', { token: ana.token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('forbidden');
    expect(JSON.stringify(forbidden.body)).not.toContain('Buy followers');
    expect((await request(server, 'GET', '/api/admin/reports')).status).toBe(401);

    const listed = await request(server, 'GET', '/api/admin/reports', { token: admin.token });
    expect(listed.status).toBe(200);
    const page = AdminReportsPage.parse(listed.body);
    expect(page.reports).toHaveLength(2);
    // Newest first: Cleo's report of Ben the person, then Ana's of the message.
    expect(page.reports[0]).toMatchObject({ reporter: { id: cleo.id, displayName: 'Cleo' }, target: { id: ben.id, displayName: 'Ben' }, message: null, reason: 'harassment', text: null });
    expect(page.reports[1]).toMatchObject({
      reporter: { id: ana.id },
      target: { id: ben.id },
      message: { id: messageId, conversationId: roomId, body: 'Buy followers now' },
      reason: 'spam',
      text: 'Third time today',
    });

    // Paged: one at a time walks the same list.
    const first = AdminReportsPage.parse((await request(server, 'GET', '/api/admin/reports?limit=1', { token: admin.token })).body);
    expect(first.reports.map((r) => r.id)).toEqual([page.reports[0]!.id]);
    const second = AdminReportsPage.parse((await request(server, 'GET', `/api/admin/reports?limit=1&before=${first.next}`, { token: admin.token })).body);
    expect(second.reports.map((r) => r.id)).toEqual([page.reports[1]!.id]);
    expect(second.next).toBeNull();
    expect((await request(server, 'GET', '/api/admin/reports?before=nonsense', { token: admin.token })).status).toBe(400);
  });

  it('refuses what the contract does not allow, and what the reporter cannot see or did not read right', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ userId: ben.id, reason: 'boring' }, 'args.reason'],
      [{ userId: ben.id, reason: 'other', text: 'x'.repeat(501) }, 'args.text'],
      [{ userId: 'not-an-id', reason: 'spam' }, 'args.userId'],
      [{ userId: ben.id }, 'args.reason'],
    ];
    for (const [args, field] of cases) {
      const response = await post(server, ana, mutation('report.create', args));
      expect(response.status, JSON.stringify(args)).toBe(400);
      expect(response.body.error?.code).toBe('invalid_input');
      expect(Object.keys(response.body.error?.fields ?? {}), JSON.stringify(response.body)).toContain(field);
    }
    expect((await post(server, ana, mutation('user.block', { userId: ben.id }))).status).toBe(400);
    expect((await post(server, ana, mutation('user.block', { userId: ana.id, blocked: true }))).status).toBe(400);
    expect((await post(server, ana, mutation('user.block', { userId: randomUUID(), blocked: true }))).status).toBe(404);
    // A message the reporter cannot read does not exist for them; one by someone else is not the named person's.
    const cleoAndBen = await directConversationId(cleo.id, ben.id);
    await post(server, cleo, mutation('conversation.open', { id: cleoAndBen, peerId: ben.id }));
    const privateOne = await post(server, cleo, mutation('message.send', sendArgs(cleoAndBen, 'Between us')));
    expect(privateOne.status).toBe(200);
    expect((await post(server, ana, mutation('report.create', { userId: cleo.id, messageId: privateOne.body.message!.id, reason: 'spam' }))).status).toBe(404);
    const cleoInRoom = await post(server, cleo, mutation('message.send', sendArgs(roomId, 'Hello all')));
    const wrongAuthor = await post(server, ana, mutation('report.create', { userId: ben.id, messageId: cleoInRoom.body.message!.id, reason: 'spam' }));
    expect(wrongAuthor.status).toBe(400);
    expect(wrongAuthor.body.error?.fields).toHaveProperty('messageId');
  });
});

describe.runIf(process.env.RALLY_TEST_POSTGRES_URL)('blocks across two processes', () => {
  const processes = useTwoProcesses();
  const sockets = useSockets();

  it('keeps typing and presence apart when the two people sit on different processes', async () => {
    const { first, second } = processes();
    const [ana, ben, cleo] = [await registerUser(first, 'Ana'), await registerUser(first, 'Ben'), await registerUser(first, 'Cleo')];
    const created = await request(first, 'POST', '/api/activities', { token: ana.token, body: { title: 'Relay', startsAt: futureInstant() } });
    const roomId = created.body.id as string;
    for (const user of [ben, cleo]) await request(first, 'POST', `/api/activities/${roomId}/join`, { token: user.token });
    await block(second, ana, ben, true);
    // Ana and Cleo on the first process, Ben on the second.
    const [anaSocket, cleoSocket, benSocket] = [await sockets.connect(first, ana), await sockets.connect(first, cleo), await sockets.connect(second, ben)];
    // Cleo's control typing reaches Ana from her own process; Ben's came through Redis earlier. So
    // wait for Cleo to hear Ben first (it has crossed), then check Ana after a control of Cleo's.
    const anaHeard = collect(anaSocket, 'typing');
    const cleoHeardBen = new Promise<void>((resolve) => cleoSocket.on('typing', (event) => event.userId === ben.id && resolve()));
    await benSocket.emitWithAck('typing:start', { conversationId: roomId });
    await cleoHeardBen;
    const control = new Promise<void>((resolve) => anaSocket.on('typing', (event) => event.userId === cleo.id && resolve()));
    await cleoSocket.emitWithAck('typing:start', { conversationId: roomId });
    await control;
    expect(anaHeard.filter((event) => event.userId === ben.id)).toEqual([]);

    // The other way: Ana types on the first process; Cleo's control on the first reaches Ben
    // through the same Redis channel after Ana's would have.
    const benHeard = collect(benSocket, 'typing');
    await anaSocket.emitWithAck('typing:start', { conversationId: roomId });
    const benControl = new Promise<void>((resolve) => benSocket.on('typing', (event) => event.userId === cleo.id && !event.typing && resolve()));
    await cleoSocket.emitWithAck('typing:stop', { conversationId: roomId });
    await benControl;
    expect(benHeard.filter((event) => event.userId === ana.id)).toEqual([]);

    await block(first, ana, ben, false);
    const heardNow = new Promise<void>((resolve) => anaSocket.on('typing', (event) => event.userId === ben.id && resolve()));
    await benSocket.emitWithAck('typing:stop', { conversationId: roomId });
    await benSocket.emitWithAck('typing:start', { conversationId: roomId });
    await heardNow;
  });
});
