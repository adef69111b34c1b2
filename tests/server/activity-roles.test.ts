import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type Member, type Mutation, type MutationApplied, type ServerToClientEvents } from '../../protocol';
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
 * Group roles in activity rooms: the organizer makes co-hosts; hosts remove members, post
 * announcements and delete any message. Every write through the one write path, refused on the
 * server for whoever may not, exactly once, and followed by every device (events and the feed).
 */

const CLIENT = randomUUID();
let counter = 0;

function mutation(name: Mutation['name'], args: Record<string, unknown>, mutationId = ++counter): Mutation {
  return { clientId: CLIENT, mutationId, createdAt: new Date().toISOString(), name, args } as Mutation;
}

type Answer = MutationApplied & { error?: { code: string; message: string } };

/** Collects every event of `names` the socket hears, for checking that none came. */
function recordEvents(socket: ClientSocket, names: (keyof ServerToClientEvents)[]): string[] {
  const heard: string[] = [];
  for (const name of names) (socket as unknown as { on: (e: string, cb: () => void) => void }).on(name, () => heard.push(name));
  return heard;
}

const settle = (ms = 400) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(server: TestServer, user: TestUser, body: Mutation) {
  return request<Answer>(server, 'POST', '/api/mutations', { token: user.token, body });
}

async function makeActivity(server: TestServer, owner: TestUser, members: TestUser[], visibility: 'public' | 'private' = 'public'): Promise<string> {
  const created = await request(server, 'POST', '/api/activities', { token: owner.token, body: { title: `Climb ${randomUUID().slice(0, 6)}`, startsAt: futureInstant(), visibility } });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  for (const member of members) {
    if (visibility === 'private') await request(server, 'POST', `/api/activities/${id}/invites`, { token: owner.token, body: { userId: member.id } });
    expect((await request(server, 'POST', `/api/activities/${id}/join`, { token: member.token })).status).toBe(200);
  }
  return id;
}

async function roleOf(server: TestServer, viewer: TestUser, activityId: string, userId: string): Promise<string | undefined> {
  const members = await request<{ items: Member[] }>(server, 'GET', `/api/activities/${activityId}/members`, { token: viewer.token });
  return members.body.items.find((member) => member.userId === userId)?.role;
}

describe('group roles in activity rooms', () => {
  let server: TestServer;
  let org: TestUser;
  let ben: TestUser;
  let cleo: TestUser;
  let dan: TestUser;
  const sockets = useSockets();

  const sendArgs = (conversationId: string, body: string, kind: 'text' | 'announcement' = 'text') => ({ id: randomUUID(), conversationId, body, kind });

  beforeAll(async () => {
    server = await startTestServer({ ACCESS_TOKEN_TTL_SECONDS: String(3 * 24 * 60 * 60) });
    [org, ben, cleo, dan] = [await registerUser(server, 'Org'), await registerUser(server, 'Ben'), await registerUser(server, 'Cleo'), await registerUser(server, 'Dan')];
  });
  afterAll(async () => server.close());

  it('lets only the organizer make and unmake co-hosts, and every member hears it live and through the feed', async () => {
    const id = await makeActivity(server, org, [ben, cleo]);
    const cleoSocket = await sockets.connect(server, cleo);
    const heard = nextEvent(cleoSocket, 'activity:member_changed');

    const promoted = await post(server, org, mutation('activity.setRole', { id, userId: ben.id, role: 'cohost' }));
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    expect(promoted.body.resolution).toBe('applied');
    expect((await heard).member).toMatchObject({ activityId: id, userId: ben.id, role: 'cohost', displayName: 'Ben' });
    expect(await roleOf(server, cleo, id, ben.id)).toBe('cohost');
    const cleoDevice = await freshReplica(server, cleo, 500, PROTOCOL_VERSION);
    expect(cleoDevice.rows.get(`member/${id}:${ben.id}`)?.data).toMatchObject({ role: 'cohost' });
    // A page of protocol 6 knows no co-host: it is told "member".
    const oldDevice = await freshReplica(server, cleo, 500, 6);
    expect(oldDevice.rows.get(`member/${id}:${ben.id}`)?.data).toMatchObject({ role: 'member' });

    // A co-host may not make co-hosts; a member may not either; nobody changes the organizer's role.
    const byCohost = await post(server, ben, mutation('activity.setRole', { id, userId: cleo.id, role: 'cohost' }));
    expect([byCohost.status, byCohost.body.error?.code]).toEqual([403, 'organizer_only']);
    const byMember = await post(server, cleo, mutation('activity.setRole', { id, userId: ben.id, role: 'member' }));
    expect([byMember.status, byMember.body.error?.code]).toEqual([403, 'organizer_only']);
    const ofOrganizer = await post(server, org, mutation('activity.setRole', { id, userId: org.id, role: 'member' }));
    expect(ofOrganizer.status).toBe(403);
    expect(await roleOf(server, org, id, ben.id)).toBe('cohost');
    expect(await roleOf(server, org, id, cleo.id)).toBe('member');

    // Promoting again changes nothing; demoting takes it back, live too.
    expect((await post(server, org, mutation('activity.setRole', { id, userId: ben.id, role: 'cohost' }))).body.resolution).toBe('unchanged');
    const demotedHeard = nextEvent(cleoSocket, 'activity:member_changed');
    expect((await post(server, org, mutation('activity.setRole', { id, userId: ben.id, role: 'member' }))).body.resolution).toBe('applied');
    expect((await demotedHeard).member).toMatchObject({ userId: ben.id, role: 'member' });
    await cleoDevice.pullUntilDone();
    expect(cleoDevice.rows.get(`member/${id}:${ben.id}`)?.data).toMatchObject({ role: 'member' });

    const bad = await post(server, org, { ...mutation('activity.setRole', { id, userId: ben.id, role: 'owner' }) });
    expect(bad.status).toBe(400);
  });

  it('lets the organizer and co-hosts remove a member, never the organizer, and a plain member nobody', async () => {
    const id = await makeActivity(server, org, [ben, cleo, dan]);
    await post(server, org, mutation('activity.setRole', { id, userId: ben.id, role: 'cohost' }));

    const byMember = await post(server, cleo, mutation('activity.removeMember', { id, userId: dan.id }));
    expect([byMember.status, byMember.body.error?.code]).toEqual([403, 'host_only']);
    const organizer = await post(server, ben, mutation('activity.removeMember', { id, userId: org.id }));
    expect([organizer.status, organizer.body.error?.code]).toEqual([403, 'forbidden']);
    const self = await post(server, org, mutation('activity.removeMember', { id, userId: org.id }));
    expect(self.status).toBe(403);
    expect(await roleOf(server, org, id, dan.id)).toBe('member');

    const byCohost = await post(server, ben, mutation('activity.removeMember', { id, userId: dan.id }));
    expect(byCohost.status, JSON.stringify(byCohost.body)).toBe(200);
    expect(byCohost.body.resolution).toBe('applied');
    expect(await roleOf(server, org, id, dan.id)).toBeUndefined();
    const view = await request(server, 'GET', `/api/activities/${id}`, { token: org.token });
    expect(view.body.memberCount).toBe(3);

    // The organizer removes a co-host too.
    expect((await post(server, org, mutation('activity.removeMember', { id, userId: ben.id }))).status).toBe(200);
    expect(await roleOf(server, org, id, ben.id)).toBeUndefined();
  });

  it('applies the same mutation once: sent twice, one removal and one change', async () => {
    const id = await makeActivity(server, org, [ben, cleo]);
    const once = mutation('activity.removeMember', { id, userId: cleo.id });
    const first = await post(server, org, once);
    const second = await post(server, org, once);
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    const stored = await server.app.database.db.selectFrom('activityRemovals').selectAll().where('activityId', '=', id).execute();
    expect(stored).toHaveLength(1);
    const activity = await request(server, 'GET', `/api/activities/${id}`, { token: org.token });
    expect(activity.body.memberCount).toBe(2);
    // A second removal (another device of a host) changes nothing and is no error.
    const again = await post(server, org, mutation('activity.removeMember', { id, userId: cleo.id }));
    expect([again.status, again.body.resolution]).toEqual([200, 'unchanged']);
    const tombstones = await server.app.database.db.selectFrom('tombstones').selectAll().where('activityId', '=', id).where('entity', '=', 'member').execute();
    expect(tombstones).toHaveLength(1);

    const role = mutation('activity.setRole', { id, userId: ben.id, role: 'cohost' });
    const r1 = await post(server, org, role);
    const r2 = await post(server, org, role);
    expect([r1.body.resolution, r2.body.resolution]).toEqual(['applied', 'applied']);
    const memberRow = await server.app.database.db.selectFrom('activityMembers').select('seq').where('activityId', '=', id).where('userId', '=', ben.id).executeTakeFirstOrThrow();
    const promotedAt = Number(memberRow.seq);
    await post(server, org, role);
    const after = await server.app.database.db.selectFrom('activityMembers').select('seq').where('activityId', '=', id).where('userId', '=', ben.id).executeTakeFirstOrThrow();
    expect(Number(after.seq)).toBe(promotedAt);
  });

  it('takes a removed member out of the room: no more room events, writes refused, their devices drop the room, no rejoining alone', async () => {
    const id = await makeActivity(server, org, [ben, cleo], 'private');
    const before = await post(server, cleo, mutation('message.send', sendArgs(id, 'Hello from Cleo')));
    expect(before.status).toBe(200);
    expect((await post(server, org, mutation('message.send', sendArgs(id, 'Secret meeting point', 'announcement')))).status).toBe(200);
    const cleoDevice = await freshReplica(server, cleo, 500, PROTOCOL_VERSION);
    expect(JSON.stringify(cleoDevice.canonical())).toContain('Secret meeting point');
    expect(cleoDevice.rows.has(`conversation/${id}`)).toBe(true);
    expect(cleoDevice.rows.has(`message/${before.body.message!.id}`)).toBe(true);

    const cleoSocket = await sockets.connect(server, cleo);
    const benSocket = await sockets.connect(server, ben);
    const toldToPull = nextEvent(cleoSocket, 'own:changed');
    const benHearsLeave = nextEvent(benSocket, 'activity:user_left');
    const removed = await post(server, org, mutation('activity.removeMember', { id, userId: cleo.id }));
    expect(removed.status).toBe(200);
    expect((await benHearsLeave).userId).toBe(cleo.id);
    await toldToPull;

    // Room events no longer reach Cleo's socket.
    const heard = recordEvents(cleoSocket, ['message:new', 'message:changed', 'announcement:new', 'typing', 'activity:checked_in', 'receipt:updated']);
    const benHearsMessage = nextEvent(benSocket, 'message:new');
    expect((await post(server, org, mutation('message.send', sendArgs(id, 'After Cleo left', 'announcement')))).status).toBe(200);
    await benHearsMessage;
    benSocket.emit('typing:start', { conversationId: id });
    await settle();
    expect(heard).toEqual([]);

    // Cleo's writes to the room are refused, saying why.
    const write = await post(server, cleo, mutation('message.send', sendArgs(id, 'Still here?')));
    expect([write.status, write.body.error?.code]).toEqual([403, 'removed_from_activity']);
    const react = await post(server, cleo, mutation('message.react', { id: before.body.message!.id, emoji: '👍', on: true }));
    expect(react.status).toBeGreaterThanOrEqual(400);
    const older = await request(server, 'GET', `/api/conversations/${id}/messages?before=999999999`, { token: cleo.token });
    expect(older.status).toBe(403);
    const join = await new Promise<{ ok: boolean }>((resolve) => cleoSocket.emit('room:join', { activityId: id }, resolve as never));
    expect(join.ok).toBe(false);

    // Her device drops the room, its messages and the private activity, and learns why.
    await cleoDevice.pullUntilDone();
    expect(cleoDevice.rows.has(`conversation/${id}`)).toBe(false);
    expect(cleoDevice.rows.has(`message/${before.body.message!.id}`)).toBe(false);
    expect(cleoDevice.rows.has(`activity/${id}`)).toBe(false);
    expect(cleoDevice.rows.get(`removal/${id}`)?.data).toMatchObject({ activityId: id, liftedAt: null });
    const fresh = await freshReplica(server, cleo, 500, PROTOCOL_VERSION);
    expect(fresh.keys().filter((key) => key.includes(id))).toEqual([`removal/${id}`]);
    expect(JSON.stringify(fresh.canonical())).not.toContain('After Cleo left');
    // The announcement's notification was the room's too.
    expect(JSON.stringify(fresh.canonical())).not.toContain('Secret meeting point');

    // She cannot come back on her own; a host's invitation lets her.
    const rejoin = await post(server, cleo, mutation('activity.join', { id }));
    expect(rejoin.status).toBeGreaterThanOrEqual(400);
    const invited = await request(server, 'POST', `/api/activities/${id}/invites`, { token: org.token, body: { userId: cleo.id } });
    expect(invited.status).toBeLessThan(300);
    const back = await post(server, cleo, mutation('activity.join', { id }));
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    await cleoDevice.pullUntilDone();
    expect(cleoDevice.rows.get(`removal/${id}`)?.data).toMatchObject({ liftedAt: expect.any(String) });
    expect(cleoDevice.rows.has(`conversation/${id}`)).toBe(true);
  });

  it('refuses a public activity’s removed member too, who may still see it but not join or write', async () => {
    const id = await makeActivity(server, org, [dan]);
    expect((await post(server, org, mutation('activity.removeMember', { id, userId: dan.id }))).status).toBe(200);
    const rejoin = await post(server, dan, mutation('activity.join', { id }));
    expect([rejoin.status, rejoin.body.error?.code]).toEqual([403, 'removed_from_activity']);
    const write = await post(server, dan, mutation('message.send', sendArgs(id, 'Let me in')));
    expect([write.status, write.body.error?.code]).toEqual([403, 'removed_from_activity']);
    // A stranger learns nothing of the room.
    const stranger = await post(server, cleo, mutation('message.send', sendArgs(id, 'Hi')));
    expect(stranger.status).toBe(404);
  });

  it('lets hosts, and only hosts, post announcements and delete any message in the room', async () => {
    const id = await makeActivity(server, org, [ben, cleo, dan]);
    await post(server, org, mutation('activity.setRole', { id, userId: ben.id, role: 'cohost' }));

    const byMember = await post(server, cleo, mutation('message.send', sendArgs(id, 'I am the boss', 'announcement')));
    expect([byMember.status, byMember.body.error?.code]).toEqual([403, 'host_only']);
    const byCohost = await post(server, ben, mutation('message.send', sendArgs(id, 'Meet at 6', 'announcement')));
    expect(byCohost.status).toBe(200);
    expect(byCohost.body.message).toMatchObject({ kind: 'announcement', senderId: ben.id });

    const cleoSays = (await post(server, cleo, mutation('message.send', sendArgs(id, 'Rude words')))).body.message!;
    const danSocket = await sockets.connect(server, dan);
    const danHears = nextEvent(danSocket, 'message:changed');
    const byDan = await post(server, dan, mutation('message.delete', { id: cleoSays.id }));
    expect([byDan.status, byDan.body.error?.code]).toEqual([403, 'forbidden']);
    const deleted = await post(server, ben, mutation('message.delete', { id: cleoSays.id }));
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body.message).toMatchObject({ id: cleoSays.id, body: '' });
    expect((await danHears).message).toMatchObject({ id: cleoSays.id, deletedAt: expect.any(String), body: '' });
    const stored = await server.app.database.db.selectFrom('messages').select(['body', 'deletedAt']).where('id', '=', cleoSays.id).executeTakeFirstOrThrow();
    expect(stored.body).toBe('');
    expect(stored.deletedAt).not.toBeNull();

    // The organizer deletes anyone's, the co-host's announcement too; past 24 hours as well.
    server.advanceClock(25 * 3_600_000);
    const late = await post(server, org, mutation('message.delete', { id: byCohost.body.message!.id }));
    expect(late.status, JSON.stringify(late.body)).toBe(200);
    server.advanceClock(-25 * 3_600_000);

    // Demoted, Ben's power goes with the role.
    await post(server, org, mutation('activity.setRole', { id, userId: ben.id, role: 'member' }));
    const danSays = (await post(server, dan, mutation('message.send', sendArgs(id, 'Mine')))).body.message!;
    expect((await post(server, ben, mutation('message.delete', { id: danSays.id }))).status).toBe(403);
    expect((await post(server, ben, mutation('message.send', sendArgs(id, 'Still boss?', 'announcement')))).status).toBe(403);
  });
});

describe.runIf(process.env.RALLY_TEST_POSTGRES_URL)('removal across processes', () => {
  const processes = useTwoProcesses();
  const sockets = useSockets();

  it('takes the removed member’s sockets on the other process out of the room', async () => {
    const { first, second } = processes();
    const org = await registerUser(first, 'Org');
    const cleo = await registerUser(first, 'Cleo');
    const ben = await registerUser(first, 'Ben');
    const id = await makeActivity(first, org, [cleo, ben]);
    // Cleo's device is connected to the second process; the removal lands on the first.
    const cleoSocket = await sockets.connect(second, cleo);
    const benSocket = await sockets.connect(second, ben);
    const toldToPull = nextEvent(cleoSocket, 'own:changed');
    expect((await post(first, org, mutation('activity.removeMember', { id, userId: cleo.id }))).status).toBe(200);
    await toldToPull;
    const heard = recordEvents(cleoSocket, ['message:new', 'announcement:new']);
    const benHears = nextEvent(benSocket, 'message:new');
    expect((await post(first, org, mutation('message.send', { id: randomUUID(), conversationId: id, body: 'Only members', kind: 'text' }))).status).toBe(200);
    await benHears;
    await settle();
    expect(heard).toEqual([]);
  });
});
