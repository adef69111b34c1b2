import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageEvent } from '../../../protocol';
import {
  connectAs,
  futureInstant,
  nextEvent,
  registerUser,
  request,
  socketAuthFor,
  startTestServer,
  waitForConnect,
  type TestServer,
  type TestUser,
} from '../harness';

/**
 * A membership that ends while a socket's handshake is under way (after its rooms were read,
 * before they were joined) must not leave the socket in that conversation's room.
 */
describe('socket handshake racing a leave', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  /** Set to make Ben's next handshake wait while this runs, between reading his rooms and joining them. */
  let duringBensHandshake: (() => Promise<void>) | undefined;
  const clientId = randomUUID();
  let mutationId = 0;

  const createActivity = async (title: string) =>
    (await request(server, 'POST', '/api/activities', { token: ana.token, body: { title, startsAt: futureInstant() } })).body.id as string;

  const say = async (conversationId: string, body: string) => {
    const sent = await request(server, 'POST', '/api/mutations', {
      token: ana.token,
      body: { clientId, mutationId: ++mutationId, createdAt: new Date().toISOString(), name: 'message.send', args: { id: randomUUID(), conversationId, body, kind: 'text' } },
    });
    expect(sent.status).toBe(200);
  };

  beforeAll(async () => {
    server = await startTestServer(
      { ACCESS_TOKEN_TTL_SECONDS: '900' },
      {
        socketHooks: {
          afterRoomsRead: async (userId) => {
            const run = userId === ben.id ? duringBensHandshake : undefined;
            duringBensHandshake = undefined;
            await run?.();
          },
        },
      },
    );
    [ana, ben] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben')];
  });
  afterAll(async () => server.close());

  it('keeps a socket out of the room of an activity its user left during the handshake', async () => {
    const [left, stayed] = [await createActivity('Climb'), await createActivity('Run')];
    for (const activityId of [left, stayed]) {
      expect((await request(server, 'POST', `/api/activities/${activityId}/join`, { token: ben.token })).status).toBe(200);
    }

    let leftDuringHandshake = false;
    duringBensHandshake = async () => {
      // Another device of Ben's leaves the activity now: after this handshake read his rooms.
      const leave = await request(server, 'DELETE', `/api/activities/${left}/join`, { token: ben.token });
      leftDuringHandshake = leave.status === 200;
    };
    const socket = connectAs(server, socketAuthFor(ben));
    try {
      await waitForConnect(socket);
      expect(leftDuringHandshake).toBe(true);

      const heard: MessageEvent[] = [];
      socket.on('message:new', (event) => heard.push(event));
      const stayedMessage = nextEvent(socket, 'message:new');
      // In this order, so that once the second has arrived the first would have too.
      await say(left, 'after Ben left');
      await say(stayed, 'still here');
      expect((await stayedMessage).message.body).toBe('still here');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(heard.map((event) => event.message.conversationId)).toEqual([stayed]);
    } finally {
      socket.disconnect();
    }
  });
});
