import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerToClientEvents } from '../../../protocol';
import {
  futureInstant,
  nextEvent,
  registerUser,
  request,
  startTestServer,
  type ClientSocket,
  type TestServer,
  type TestUser,
  useTwoProcesses,
  useSockets,
} from '../harness';

/**
 * An activity's audience shrinks (made private, a member leaves, deleted): whoever is outside the
 * new audience hears nothing more about it, even with a socket that joined its room while it was
 * public, on whichever process that socket lives.
 */

const EVENT_NAMES: (keyof ServerToClientEvents)[] = [
  'activity:created',
  'activity:updated',
  'activity:deleted',
  'activity:user_joined',
  'activity:user_left',
  'activity:like_added',
  'activity:like_removed',
  'activity:checked_in',
  'message:new',
  'announcement:new',
  'conversation:new',
  'receipt:updated',
  'typing',
];

/** Everything the socket hears about `activityId`, by event name. */
function listen(socket: ClientSocket, activityId: string): { name: string; payload: unknown }[] {
  const heard: { name: string; payload: unknown }[] = [];
  socket.onAny((name: string, payload: unknown) => {
    if (EVENT_NAMES.includes(name as keyof ServerToClientEvents) && JSON.stringify(payload).includes(activityId)) heard.push({ name, payload });
  });
  return heard;
}

let mutationCounter = 0;
async function mutate(server: TestServer, user: TestUser, name: string, args: Record<string, unknown>): Promise<void> {
  const response = await request(server, 'POST', '/api/mutations', {
    token: user.token,
    body: { clientId: randomUUID(), mutationId: ++mutationCounter, name, args, createdAt: new Date().toISOString() },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

function scenario(servers: () => { acting: TestServer; watching: TestServer }) {
  const sockets = useSockets();

  it('a viewer of a public activity made private hears that it is gone, then nothing about it', async () => {
    const { acting, watching } = servers();
    const owner = await registerUser(acting, 'Owner');
    const member = await registerUser(acting, 'Member');
    const viewer = await registerUser(watching, 'Viewer');
    const created = await request(acting, 'POST', '/api/activities', {
      token: owner.token,
      body: { title: 'Open picnic', startsAt: futureInstant() },
    });
    const activityId = created.body.id as string;
    expect((await request(acting, 'POST', `/api/activities/${activityId}/join`, { token: member.token })).status).toBe(200);

    const viewerSocket = await sockets.connect(watching, viewer);
    const memberSocket = await sockets.connect(watching, member);
    const joined = await viewerSocket.emitWithAck('room:join', { activityId });
    expect(joined.ok).toBe(true);

    const gone = nextEvent(viewerSocket, 'activity:deleted');
    const made = await request(acting, 'PATCH', `/api/activities/${activityId}`, { token: owner.token, body: { visibility: 'private' } });
    expect(made.status).toBe(200);
    // The viewer's device drops it.
    expect((await gone).activityId).toBe(activityId);
    const heard = listen(viewerSocket, activityId);

    // Everything that happens to it now: an edit, a like, a join, a check-in, chat.
    const invitee = await registerUser(acting, 'Invitee');
    expect((await request(acting, 'POST', `/api/activities/${activityId}/invites`, { token: owner.token, body: { userId: invitee.id } })).status).toBe(201);
    expect((await request(acting, 'PATCH', `/api/activities/${activityId}`, { token: owner.token, body: { title: 'Secret picnic' } })).status).toBe(200);
    expect((await request(acting, 'PUT', `/api/activities/${activityId}/like`, { token: member.token })).status).toBe(200);
    expect((await request(acting, 'POST', `/api/activities/${activityId}/join`, { token: invitee.token })).status).toBe(200);
    await mutate(acting, member, 'activity.checkin', { id: activityId });
    const lastMessage = nextEvent(memberSocket, 'message:new');
    await mutate(acting, owner, 'message.send', { id: randomUUID(), conversationId: activityId, body: 'Meet at the gate' });
    // The member, on the same process as the viewer, heard the last of it: the viewer had time to hear it all.
    expect((await lastMessage).message.body).toBe('Meet at the gate');
    expect(heard).toEqual([]);

    // And it cannot be joined again while it is private.
    const again = await viewerSocket.emitWithAck('room:join', { activityId });
    expect(again.ok).toBe(false);
  });

  it('a member who leaves a private activity hears nothing more of it', async () => {
    const { acting, watching } = servers();
    const owner = await registerUser(acting, 'Owner');
    const leaver = await registerUser(watching, 'Leaver');
    const stayer = await registerUser(acting, 'Stayer');
    const created = await request(acting, 'POST', '/api/activities', {
      token: owner.token,
      body: { title: 'Private climb', startsAt: futureInstant(), visibility: 'private' },
    });
    const activityId = created.body.id as string;
    for (const user of [leaver, stayer]) {
      await request(acting, 'POST', `/api/activities/${activityId}/invites`, { token: owner.token, body: { userId: user.id } });
      expect((await request(acting, 'POST', `/api/activities/${activityId}/join`, { token: user.token })).status).toBe(200);
    }
    const leaverSocket = await sockets.connect(watching, leaver);
    const stayerSocket = await sockets.connect(watching, stayer);
    expect((await leaverSocket.emitWithAck('room:join', { activityId })).ok).toBe(true);

    const gone = nextEvent(leaverSocket, 'activity:deleted');
    expect((await request(acting, 'DELETE', `/api/activities/${activityId}/join`, { token: leaver.token })).status).toBe(200);
    expect((await gone).activityId).toBe(activityId);
    const heard = listen(leaverSocket, activityId);

    expect((await request(acting, 'PATCH', `/api/activities/${activityId}`, { token: owner.token, body: { title: 'Private climb, 9 am' } })).status).toBe(200);
    expect((await request(acting, 'PUT', `/api/activities/${activityId}/like`, { token: stayer.token })).status).toBe(200);
    await mutate(acting, stayer, 'activity.checkin', { id: activityId });
    const lastMessage = nextEvent(stayerSocket, 'message:new');
    await mutate(acting, owner, 'message.send', { id: randomUUID(), conversationId: activityId, body: 'Ropes are in the van' });
    expect((await lastMessage).message.body).toBe('Ropes are in the van');
    expect(heard).toEqual([]);
  });
}

describe('a shrinking audience, one process', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());
  scenario(() => ({ acting: server, watching: server }));
});

describe('a shrinking audience, two processes behind Redis', () => {
  const processes = useTwoProcesses();
  scenario(() => ({ acting: processes().first, watching: processes().second }));
});
