import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directConversationId, PROTOCOL_VERSION } from '../../../protocol';
import {
  connectAs,
  nextEvent,
  registerUser,
  request,
  socketAuthFor,
  startTestServer,
  waitForConnect,
  type ClientSocket,
  type TestServer,
  type TestUser,
  useTwoProcesses,
  useSockets,
} from '../harness';

/**
 * A socket is authenticated at its handshake, but it must not outlive its session: it closes when
 * the session ends (sign-out, or a reused refresh token that revokes the family), on every process,
 * and when its token expires unless the page hands it a fresh one.
 */

let mutationCounter = 0;
async function message(server: TestServer, from: TestUser, conversationId: string, body: string): Promise<void> {
  const response = await request(server, 'POST', '/api/mutations', {
    token: from.token,
    body: { clientId: randomUUID(), mutationId: ++mutationCounter, name: 'message.send', args: { id: randomUUID(), conversationId, body }, createdAt: new Date().toISOString() },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

async function openDirect(server: TestServer, from: TestUser, to: TestUser): Promise<string> {
  const id = await directConversationId(from.id, to.id);
  const response = await request(server, 'POST', '/api/mutations', {
    token: from.token,
    body: { clientId: randomUUID(), mutationId: ++mutationCounter, name: 'conversation.open', args: { id, peerId: to.id }, createdAt: new Date().toISOString() },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return id;
}

function closedWithin(socket: ClientSocket, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!socket.connected) return resolve('already closed');
    const timer = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

async function refusedWith(server: TestServer, token: string): Promise<string> {
  const socket = connectAs(server, { token, protocolVersion: PROTOCOL_VERSION });
  try {
    await waitForConnect(socket);
    return 'connected';
  } catch (error) {
    return ((error as { data?: { code?: string } }).data?.code ?? 'no code');
  } finally {
    socket.disconnect();
  }
}

function scenario(servers: () => { acting: TestServer; watching: TestServer }) {
  const sockets = useSockets();
  const connected = (server: TestServer, auth: Record<string, unknown>) => sockets.connectWith(server, auth);

  it("a stolen access token's socket stops hearing direct messages within a second of the owner's reuse detection", async () => {
    const { acting, watching } = servers();
    const ana = await registerUser(acting, 'Ana');
    const ben = await registerUser(acting, 'Ben');
    const direct = await openDirect(acting, ben, ana);
    // A thief holds copies of Ana's access token and refresh cookie, and listens as her.
    const thief = await connected(watching, socketAuthFor(ana));
    const heard = nextEvent(thief, 'message:new');
    await message(acting, ben, direct, 'before');
    expect((await heard).message.body).toBe('before');

    // Ana's page refreshes (the cookie rotates); later the thief presents the old cookie.
    const rotated = await request(acting, 'POST', '/api/auth/refresh', { headers: { cookie: ana.refreshCookie } });
    expect(rotated.status).toBe(200);
    acting.advanceClock(15_000);
    const closed = closedWithin(thief, 1_000);
    const reuse = await request(acting, 'POST', '/api/auth/refresh', { headers: { cookie: ana.refreshCookie } });
    expect(reuse.status).toBe(401);
    await closed;

    const missed: string[] = [];
    thief.on('message:new', (event) => missed.push(event.message.body));
    await message(acting, ben, direct, 'after');
    expect(missed).toEqual([]);
    // The stolen access token is still unexpired, yet opens no socket for an ended session.
    expect(await refusedWith(watching, ana.token)).toBe('unauthorized');
    expect(await refusedWith(watching, rotated.body.accessToken as string)).toBe('unauthorized');
  });

  it('signing out closes the sockets of that session at once, and only those', async () => {
    const { acting, watching } = servers();
    const cleo = await registerUser(acting, 'Cleo');
    const phone = await connected(watching, socketAuthFor(cleo));
    // Cleo is also signed in on a laptop: a session of its own, which stays.
    const laptopLogin = await request(acting, 'POST', '/api/auth/login', { body: { email: cleo.email, password: cleo.password } });
    const laptop = await connected(watching, { token: laptopLogin.body.accessToken as string, protocolVersion: PROTOCOL_VERSION });

    const closed = closedWithin(phone, 1_000);
    const logout = await request(acting, 'POST', '/api/auth/logout', { headers: { cookie: cleo.refreshCookie } });
    expect(logout.status).toBe(204);
    await closed;
    expect(laptop.connected).toBe(true);
    expect(await refusedWith(watching, cleo.token)).toBe('unauthorized');
  });
}

describe('sockets end with their session, one process', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());
  scenario(() => ({ acting: server, watching: server }));
});

describe('sockets end with their session, two processes behind Redis', () => {
  const processes = useTwoProcesses();
  scenario(() => ({ acting: processes().first, watching: processes().second }));
});

describe('sockets end with their token', () => {
  let server: TestServer;
  const { track } = useSockets();
  const TTL_SECONDS = 3;
  beforeAll(async () => {
    server = await startTestServer({ ACCESS_TOKEN_TTL_SECONDS: String(TTL_SECONDS) });
  });
  afterAll(async () => server.close());

  /** A token's `exp`, in milliseconds (token times are whole seconds). */
  const expiryOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp * 1000;

  it('closes a socket whose token expired, and keeps one whose page renewed it', async () => {
    const eve = await registerUser(server, 'Eve');
    const dan = await registerUser(server, 'Dan');
    // Everything below is timed from Dan's token, not from the clock when the test began: a slow
    // registration (scrypt, a loaded machine) must not let the token lapse before the sockets are up.
    const expiresAt = expiryOf(dan.token);
    const issuedAt = expiresAt - TTL_SECONDS * 1000;
    const lapsed = track(connectAs(server, socketAuthFor(dan)));
    const renewed = track(connectAs(server, socketAuthFor(dan)));
    await Promise.all([waitForConnect(lapsed), waitForConnect(renewed)]);

    // A second after Dan's token was issued, a refreshed one outlives it by at least a second.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, issuedAt + 1_050 - Date.now())));
    const fresh = await request(server, 'POST', '/api/auth/refresh', { headers: { cookie: dan.refreshCookie } });
    expect(fresh.status).toBe(200);
    expect(expiryOf(fresh.body.accessToken as string)).toBeGreaterThan(expiresAt);
    // Someone else's token does not keep Dan's socket open.
    expect(await renewed.timeout(2_000).emitWithAck('auth:renew', { token: eve.token })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const renewal = await renewed.timeout(2_000).emitWithAck('auth:renew', { token: fresh.body.accessToken as string });
    expect(renewal.ok).toBe(true);

    expect(await closedWithin(lapsed, Math.max(0, expiresAt - Date.now()) + 1_500)).toBe('io server disconnect');
    expect(renewed.connected).toBe(true);
  });
});
