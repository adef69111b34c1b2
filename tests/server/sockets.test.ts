import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../protocol';
import {
  connectAs,
  futureInstant,
  nextEvent,
  registerUser,
  request,
  socketAuthFor,
  startTestServer,
  waitForConnect,
  type ClientSocket,
  type TestServer,
  type TestUser,
  useSockets,
} from './harness';

describe('sockets', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  const { track } = useSockets();

  beforeAll(async () => {
    server = await startTestServer({ ACCESS_TOKEN_TTL_SECONDS: '900' });
    ana = await registerUser(server, 'Ana');
    ben = await registerUser(server, 'Ben');
  });
  afterAll(async () => server.close());

  async function refusal(auth: Record<string, unknown> | undefined): Promise<{ message: string; code: unknown }> {
    const socket = track(connectAs(server, auth));
    const error = await waitForConnect(socket).then(
      () => {
        throw new Error('connection was accepted');
      },
      (e: Error & { data?: { code?: string } }) => e,
    );
    return { message: error.message, code: error.data?.code };
  }

  it('refuses a handshake without a token', async () => {
    expect(await refusal(undefined)).toMatchObject({ code: 'unauthorized' });
    expect(await refusal({ protocolVersion: PROTOCOL_VERSION })).toMatchObject({ code: 'unauthorized' });
  });

  it('refuses a forged token', async () => {
    const forged = await new SignJWT({ name: 'Mallory' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(ana.id)
      .setIssuer('rally')
      .setAudience('rally-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not the server secret, but long enough'));
    expect(await refusal({ token: forged, protocolVersion: PROTOCOL_VERSION })).toMatchObject({ code: 'unauthorized' });
  });

  it('refuses an expired token, telling the page to refresh', async () => {
    const soonExpired = await registerUser(server, 'Expiring');
    server.advanceClock(16 * 60 * 1000);
    try {
      expect(await refusal(socketAuthFor(soonExpired))).toMatchObject({ code: 'token_expired' });
    } finally {
      server.advanceClock(-16 * 60 * 1000);
    }
  });

  it('refuses an unsupported protocol version with a clear message', async () => {
    const result = await refusal({ token: ana.token, protocolVersion: PROTOCOL_VERSION + 1 });
    expect(result.code).toBe('unsupported_protocol');
    expect(result.message).toMatch(/reload/i);
    expect(await refusal({ token: ana.token, protocolVersion: 0 })).toMatchObject({ code: 'unsupported_protocol' });
  });

  it('refuses sockets from origins that are not allowed', async () => {
    const { io } = await import('socket.io-client');
    const connectFrom = (origin: string) =>
      track(
        io(server.url, {
          auth: socketAuthFor(ana),
          transports: ['polling'],
          extraHeaders: { origin },
          reconnection: false,
          forceNew: true,
        }) as ClientSocket,
      );
    const error = await waitForConnect(connectFrom('https://evil.example')).then(
      () => {
        throw new Error('connection from https://evil.example was accepted');
      },
      (e: Error & { type?: string; description?: unknown }) => e,
    );
    // The transport itself is refused (engine.io answers 403 to a request allowRequest turns
    // down), not the handshake: a refusal for any other reason (auth, a broken transport) differs.
    expect({ type: error.type, status: error.description }).toEqual({ type: 'TransportError', status: 403 });
    // The same socket from the server's own origin gets in: the origin alone made the difference.
    await waitForConnect(connectFrom(server.url));
  });

  it('refuses to join the room of a private activity the user is not in, and admits members', async () => {
    const created = await request(server, 'POST', '/api/activities', {
      token: ana.token,
      body: { title: 'Private', startsAt: futureInstant(), visibility: 'private' },
    });
    const benSocket = track(connectAs(server, socketAuthFor(ben)));
    await waitForConnect(benSocket);
    const refused = await benSocket.emitWithAck('room:join', { activityId: created.body.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const junk = await benSocket.emitWithAck('room:join', { activityId: 'nope' } as never);
    expect(junk).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    const anaSocket = track(connectAs(server, socketAuthFor(ana)));
    await waitForConnect(anaSocket);
    const admitted = await anaSocket.emitWithAck('room:join', { activityId: created.body.id });
    expect(admitted).toMatchObject({ ok: true, data: { room: `activity:${created.body.id}` } });
  });

  it('tells everyone about public activities and their likes and joins', async () => {
    const anaSocket = track(connectAs(server, socketAuthFor(ana)));
    const benSocket = track(connectAs(server, socketAuthFor(ben)));
    await Promise.all([waitForConnect(anaSocket), waitForConnect(benSocket)]);

    const createdEvent = nextEvent(benSocket, 'activity:created');
    const created = await request(server, 'POST', '/api/activities', {
      token: ana.token,
      body: { title: 'Picnic', startsAt: futureInstant() },
    });
    expect((await createdEvent).activity).toMatchObject({ id: created.body.id, title: 'Picnic', version: 1 });

    const likeEvent = nextEvent(anaSocket, 'activity:like_added');
    await request(server, 'PUT', `/api/activities/${created.body.id}/like`, { token: ben.token });
    expect(await likeEvent).toMatchObject({ activityId: created.body.id, userId: ben.id, likeCount: 1, version: 2 });

    const joinEvent = nextEvent(anaSocket, 'activity:user_joined');
    await request(server, 'POST', `/api/activities/${created.body.id}/join`, { token: ben.token });
    expect(await joinEvent).toMatchObject({ activityId: created.body.id, userId: ben.id, displayName: 'Ben', memberCount: 2 });

    const updateEvent = nextEvent(benSocket, 'activity:updated');
    await request(server, 'PATCH', `/api/activities/${created.body.id}`, { token: ana.token, body: { title: 'Big picnic' } });
    expect((await updateEvent).activity).toMatchObject({ title: 'Big picnic' });

    const deleteEvent = nextEvent(benSocket, 'activity:deleted');
    await request(server, 'DELETE', `/api/activities/${created.body.id}`, { token: ana.token });
    expect(await deleteEvent).toMatchObject({ activityId: created.body.id });
  });

  it('keeps private activity events away from people who may not see them', async () => {
    const cleo = await registerUser(server, 'Cleo');
    const anaSocket = track(connectAs(server, socketAuthFor(ana)));
    const benSocket = track(connectAs(server, socketAuthFor(ben)));
    const cleoSocket = track(connectAs(server, socketAuthFor(cleo)));
    await Promise.all([waitForConnect(anaSocket), waitForConnect(benSocket), waitForConnect(cleoSocket)]);
    const leaked: string[] = [];
    cleoSocket.onAny((event: string) => leaked.push(event));

    const created = await request(server, 'POST', '/api/activities', {
      token: ana.token,
      body: { title: 'Invite only', startsAt: futureInstant(), visibility: 'private' },
    });
    const invited = nextEvent(benSocket, 'activity:created');
    await request(server, 'POST', `/api/activities/${created.body.id}/invites`, { token: ana.token, body: { userId: ben.id } });
    expect((await invited).activity.id).toBe(created.body.id);

    const joined = nextEvent(anaSocket, 'activity:user_joined');
    await request(server, 'POST', `/api/activities/${created.body.id}/join`, { token: ben.token });
    await joined;
    const liked = nextEvent(benSocket, 'activity:like_added');
    await request(server, 'PUT', `/api/activities/${created.body.id}/like`, { token: ana.token });
    await liked;

    // A public event afterwards proves Cleo's socket was listening all along.
    const publicEvent = nextEvent(cleoSocket, 'activity:created');
    await request(server, 'POST', '/api/activities', { token: ana.token, body: { title: 'Open', startsAt: futureInstant() } });
    await publicEvent;
    expect(leaked).toEqual(['activity:created']);
  });
});
