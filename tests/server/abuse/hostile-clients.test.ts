import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  directConversationId,
  ErrorBody,
  Mutation,
  PROTOCOL_VERSION,
  type Ack,
  type ClientToServerEvents,
  type MutationName,
} from '../../../protocol';
import { createAccessTokenIssuer } from '../../../server/auth/access-tokens';
import { loadOrCreateSecrets } from '../../../server/secrets';
import {
  connectAs,
  futureInstant,
  registerUser,
  request,
  startTestServer,
  waitForConnect,
  type ClientSocket,
  type TestServer,
  type TestUser,
  useSockets,
} from '../harness';
import {
  envelope,
  expectErrorBody,
  expectNoSecret,
  fillPath,
  MUTATION_ARGS,
  mutationNaming,
  OUTSIDER_CASES,
  OWN_DATA_MUTATIONS,
  PUBLIC_ROUTES,
  sessionIdOf,
  type World,
} from './hostile-cases';
import { freshReplica } from '../sync-client';

/**
 * Hostile clients, generated from the app's own route table and the socket event map: whoever may
 * not see a private activity or two other people's direct conversation (signed out, a forged,
 * unsigned or expired token, or a signed-in outsider) gets a refusal, and never its data. A new
 * route or event fails here until it is given a case.
 */

describe('hostile clients', () => {
  let server: TestServer;
  let world: World;
  /** Tokens that must not work, all naming the owner (who may see everything). */
  let badTokens: { name: string; token: string | undefined; codes: string[] }[];

  beforeAll(async () => {
    server = await startTestServer();
    const [owner, member, ana, ben, outsider] = [
      await registerUser(server, 'Owner'),
      await registerUser(server, 'Member'),
      await registerUser(server, 'Ana'),
      await registerUser(server, 'Ben'),
      await registerUser(server, 'Outsider'),
    ];
    const tag = randomBytes(6).toString('hex');
    const title = `Secret summit ${tag}`;
    const created = await request(server, 'POST', '/api/activities', {
      token: owner.token,
      body: { title, startsAt: futureInstant(), visibility: 'private' },
    });
    expect(created.status).toBe(201);
    const privateId = created.body.id as string;
    expect((await request(server, 'POST', `/api/activities/${privateId}/invites`, { token: owner.token, body: { userId: member.id } })).status).toBe(201);
    expect((await request(server, 'POST', `/api/activities/${privateId}/join`, { token: member.token })).status).toBe(200);
    const directId = await directConversationId(ana.id, ben.id);
    const roomText = `room whisper ${tag}`;
    const directText = `direct whisper ${tag}`;
    const invitations = await freshReplica(server, member, 500, PROTOCOL_VERSION);
    const notificationId = invitations.keys().find((key) => key.startsWith('notification/'))?.split('/')[1];
    expect(notificationId).toBeDefined();
    const deviceId = randomUUID();
    const device = await request(server, 'POST', '/api/devices', { token: member.token, body: { kind: 'fcm', deviceId, token: 'member-token', platform: 'test', appVersion: '1' } });
    expect(device.status).toBe(200);
    const directMessageId = randomUUID();
    world = { owner, member, ana, ben, outsider, privateId, directId, directMessageId, notificationId: notificationId!, deviceId, secrets: [title, roomText, directText] };
    const mutate = async (user: TestUser, name: MutationName, args: Record<string, unknown>) => {
      const response = await request(server, 'POST', '/api/mutations', { token: user.token, body: { ...envelope(), name, args } });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    };
    await mutate(owner, 'message.send', { id: randomUUID(), conversationId: privateId, body: roomText, kind: 'text' });
    await mutate(ana, 'conversation.open', { id: directId, peerId: ben.id });
    await mutate(ana, 'message.send', { id: directMessageId, conversationId: directId, body: directText, kind: 'text' });

    const secret = loadOrCreateSecrets(server.config).jwtSecret;
    const sid = sessionIdOf(owner.token);
    const claims = { id: owner.id, displayName: 'Owner' };
    const forged = await createAccessTokenIssuer(randomBytes(32), 900, () => new Date()).issue(claims, sid);
    const expired = await createAccessTokenIssuer(secret, 60, () => new Date(Date.now() - 3_600_000)).issue(claims, sid);
    const [header, payload] = owner.token.split('.');
    const unsignedHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    badTokens = [
      { name: 'no token', token: undefined, codes: ['unauthorized'] },
      { name: 'forged token', token: forged.token, codes: ['unauthorized'] },
      { name: 'unsigned token', token: `${unsignedHeader}.${payload}.`, codes: ['unauthorized'] },
      { name: 're-signed token', token: `${header}.${payload}.${randomBytes(32).toString('base64url')}`, codes: ['unauthorized'] },
      { name: 'expired token', token: expired.token, codes: ['token_expired'] },
    ];
  });
  afterAll(async () => server?.close());

  const apiRoutes = () =>
    server.app.routes
      // HEAD mirrors GET with no body; OPTIONS is not registered by Rally.
      .filter((route) => (route.url.startsWith('/api/') || route.url.startsWith('/ofrep/')) && route.method !== 'HEAD')
      .map((route) => ({ ...route, key: `${route.method} ${route.url}` }));
  const protectedRoutes = () => apiRoutes().filter((route) => !(route.key in PUBLIC_ROUTES));

  it('knows every route: the public ones by name, every other one with an outsider case', () => {
    const keys = apiRoutes().map((route) => route.key);
    expect(keys.length).toBeGreaterThan(15);
    // A route that answers without a token and is not in PUBLIC_ROUTES is caught by the next test;
    // one listed here that no longer exists is stale.
    for (const key of Object.keys(PUBLIC_ROUTES)) expect(keys, `public route ${key} no longer exists`).toContain(key);
    for (const route of protectedRoutes()) expect(OUTSIDER_CASES[route.key], `no outsider case for ${route.key}`).toBeDefined();
    for (const key of Object.keys(OUTSIDER_CASES)) expect(keys, `outsider case for a route that no longer exists: ${key}`).toContain(key);
  });

  it('refuses every non-public route to a caller without a valid token, with a 401 error body and none of the data', async () => {
    let cases = 0;
    for (const route of protectedRoutes()) {
      const outsiderCase = OUTSIDER_CASES[route.key];
      const query = outsiderCase && 'query' in outsiderCase ? (outsiderCase.query ?? '') : '';
      const body = outsiderCase && 'body' in outsiderCase && outsiderCase.body ? outsiderCase.body(world) : undefined;
      for (const bad of badTokens) {
        const label = `${route.key} with ${bad.name}`;
        const response = await request(server, route.method, fillPath(route.url, world) + query, {
          ...(bad.token ? { token: bad.token } : {}),
          ...(body !== undefined ? { body } : {}),
        });
        expect(response.status, `${label}: ${JSON.stringify(response.body)}`).toBe(401);
        expectErrorBody(response.body, label);
        expect(bad.codes, label).toContain(response.body.error.code);
        expectNoSecret(world, response.body, label);
        cases++;
      }
    }
    console.info(`hostile clients: ${cases} unauthenticated route cases`);
  });

  it('refuses a signed-in outsider every route that names the private activity or the others\' conversation', async () => {
    let cases = 0;
    const conversations = [world.directId, world.privateId];
    for (const route of protectedRoutes()) {
      const outsiderCase = OUTSIDER_CASES[route.key];
      if (!outsiderCase) continue;
      // A conversation route is tried with both kinds: the direct one and the private activity's room.
      const fills = route.url.includes(':conversationId') ? conversations : [world.directId];
      for (const conversationId of fills) {
        const label = `${route.key}${fills.length > 1 ? ` (conversation ${conversationId})` : ''} as the outsider`;
        const query = 'query' in outsiderCase ? (outsiderCase.query ?? '') : '';
        const body = 'body' in outsiderCase && outsiderCase.body ? outsiderCase.body(world) : undefined;
        const response = await request(server, route.method, fillPath(route.url, world, conversationId) + query, {
          token: world.outsider.token,
          ...(body !== undefined ? { body } : {}),
        });
        expectNoSecret(world, response.body, label);
        if (outsiderCase.expect === 'refused') {
          expect(response.status, `${label}: ${JSON.stringify(response.body)}`).toBeGreaterThanOrEqual(400);
          expect(response.status, `${label}: ${JSON.stringify(response.body)}`).toBeLessThan(500);
          expectErrorBody(response.body, label);
        } else if (outsiderCase.expect === 'answers-refused') {
          expect(response.status, label).toBe(200);
          expect(response.body.answers, label).toHaveLength(Object.keys(MUTATION_ARGS).length);
          const names = Object.keys(MUTATION_ARGS) as MutationName[];
          const answers = response.body.answers as { httpStatus: number; body: { error?: { code: string } } }[];
          for (const answer of answers.filter((_answer, index) => OWN_DATA_MUTATIONS.has(names[index]!))) expect(answer.httpStatus, label).toBe(200);
          for (const answer of answers.filter((_answer, index) => !OWN_DATA_MUTATIONS.has(names[index]!))) {
            expect(answer.httpStatus, `${label}: ${JSON.stringify(answer)}`).toBeGreaterThanOrEqual(400);
            expect(answer.httpStatus, `${label}: ${JSON.stringify(answer)}`).toBeLessThan(500);
            expect(['forbidden', 'not_found', 'invalid_input', 'conflict'], label).toContain(answer.body.error?.code);
          }
        } else if (outsiderCase.expect === 'items-rejected') {
          expect(response.status, label).toBe(200);
          for (const item of response.body.results as { status: string; error?: { code: string } }[]) {
            expect(item.status, `${label}: ${JSON.stringify(item)}`).toBe('rejected');
            expect(['forbidden', 'not_found'], label).toContain(item.error?.code);
          }
        } else {
          expect(response.status, `${label}: ${JSON.stringify(response.body)}`).toBe(200);
          expect(JSON.stringify(response.body), label).not.toContain(world.privateId);
          expect(JSON.stringify(response.body), label).not.toContain(world.directId);
        }
        cases++;
      }
    }
    for (const name of Object.keys(MUTATION_ARGS) as MutationName[]) {
      const label = `mutation ${name} as the outsider`;
      const body = mutationNaming(world, name);
      expect(Mutation.safeParse(body).success, `${label} is a well-formed mutation`).toBe(true);
      const response = await request(server, 'POST', '/api/mutations', { token: world.outsider.token, body });
      expectNoSecret(world, response.body, label);
      if (OWN_DATA_MUTATIONS.has(name)) {
        expect(response.status, `${label}: ${JSON.stringify(response.body)}`).toBe(200);
        cases++;
        continue;
      }
      expect(response.status, `${label}: ${JSON.stringify(response.body)}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${label}: ${JSON.stringify(response.body)}`).toBeLessThan(500);
      expectErrorBody(response.body, label);
      expectNoSecret(world, response.body, label);
      cases++;
    }
    console.info(`hostile clients: ${cases} outsider route cases`);

    // Nothing the outsider sent changed what the owner sees.
    const still = await request(server, 'GET', `/api/activities/${world.privateId}`, { token: world.owner.token });
    expect(still.status).toBe(200);
    expect(still.body.title).toBe(world.secrets[0]);
    const members = await request(server, 'GET', `/api/activities/${world.privateId}/members`, { token: world.owner.token });
    expect(JSON.stringify(members.body)).not.toContain(world.outsider.id);
    // The member's device and notification are as they were: nothing of theirs was removed or read.
    const devices = await request(server, 'GET', '/api/devices', { token: world.member.token });
    expect((devices.body.devices as { id: string }[]).map((device) => device.id)).toContain(world.deviceId);
    const notifications = await freshReplica(server, world.member, 500, PROTOCOL_VERSION);
    expect(notifications.rows.get(`notification/${world.notificationId}`)?.data).toMatchObject({ readAt: null });
  });

  it('refuses a socket handshake without a valid token', async () => {
    for (const bad of badTokens) {
      const socket = connectAs(server, bad.token ? { token: bad.token, protocolVersion: PROTOCOL_VERSION } : { protocolVersion: PROTOCOL_VERSION });
      const refusal = await waitForConnect(socket).then(
        () => undefined,
        (error: { data?: { code?: string } }) => error,
      );
      socket.disconnect();
      expect(refusal, `${bad.name} connected`).toBeDefined();
      expect(bad.codes, bad.name).toContain(refusal?.data?.code);
    }
  });

  describe('socket events from an outsider', () => {
    const sockets = useSockets('all');
    const heard: { socket: string; event: string; payload: unknown }[] = [];
    const memberSockets: ClientSocket[] = [];
    let outsiderSocket: ClientSocket;
    /** A call ringing between Ana and Ben, placed before anyone listens: the outsider may not touch it. */
    let callId: string;

    beforeAll(async () => {
      const anaCalling = await sockets.connect(server, world.ana);
      const placed = await anaCalling.timeout(5000).emitWithAck('call:invite', { conversationId: world.directId, kind: 'audio' });
      if (!placed.ok) throw new Error(`call:invite failed: ${JSON.stringify(placed)}`);
      callId = placed.data.id;
      for (const [name, user] of [
        ['owner', world.owner],
        ['member', world.member],
        ['ana', world.ana],
        ['ben', world.ben],
      ] as const) {
        const socket = await sockets.connect(server, user);
        memberSockets.push(socket);
        if (name === 'owner' || name === 'member') {
          expect((await socket.timeout(5000).emitWithAck('room:join', { activityId: world.privateId })).ok).toBe(true);
        }
        socket.onAny((event: string, payload: unknown) => {
          // The members' own presence comes and goes as they connect; anything about the outsider, or anything else, counts.
          if (event === 'presence' && (payload as { userId?: string }).userId !== world.outsider.id) return;
          // Ben's device rings for Ana's call as it connects (a device that comes online while a
          // call rings for its user rings too): that is the set-up's own call, not the outsider's doing.
          if (event === 'call:incoming' && name === 'ben' && (payload as { call?: { id?: string } }).call?.id === callId) return;
          heard.push({ socket: name, event, payload });
        });
      }
      outsiderSocket = await sockets.connect(server, world.outsider);
    });

    type Expectation = 'error' | 'ok-without-data' | 'items-refused' | 'empty';
    type EventCase = { payloads: (world: World, outsiderToken: string) => unknown[]; expect: Expectation; reason?: string };

    /** Every client event: a compile error until a new one is given a case here. */
    const EVENT_CASES = {
      'auth:renew': {
        // Someone else's token, or one that is not valid: the socket must not become theirs.
        payloads: (w) => [{ token: w.owner.token }, ...badTokens.filter((bad) => bad.token).map((bad) => ({ token: bad.token }))],
        expect: 'error',
      },
      'room:join': { payloads: (w) => [{ activityId: w.privateId }, { activityId: w.directId }], expect: 'error' },
      'room:leave': {
        payloads: (w) => [{ activityId: w.privateId }],
        expect: 'ok-without-data',
        reason: 'leaving a room one is not in grants nothing; the answer is only the room name asked about',
      },
      'message:send': {
        payloads: (w) => [
          mutationNaming(w, 'message.send'),
          { ...envelope(), name: 'message.send', args: { id: randomUUID(), conversationId: w.privateId, body: 'Let me in', kind: 'text' } },
          mutationNaming(w, 'conversation.open'),
          mutationNaming(w, 'activity.join'),
        ],
        expect: 'error',
      },
      'receipt:update': {
        payloads: (w) => [{ updates: [{ conversationId: w.directId, readSeq: 1_000_000 }, { conversationId: w.privateId, deliveredSeq: 1_000_000 }] }],
        expect: 'items-refused',
      },
      'typing:start': { payloads: (w) => [{ conversationId: w.directId }, { conversationId: w.privateId }], expect: 'error' },
      'typing:stop': { payloads: (w) => [{ conversationId: w.directId }, { conversationId: w.privateId }], expect: 'error' },
      'presence:set': {
        payloads: () => [{ state: 'online' }, { state: 'away' }],
        expect: 'ok-without-data',
        reason: 'names no one; it reaches only those who share a conversation with the outsider (none here)',
      },
      'presence:query': { payloads: (w) => [{ userIds: [w.owner.id, w.member.id, w.ana.id, w.ben.id] }], expect: 'empty' },
      'call:invite': { payloads: (w) => [{ conversationId: w.directId, kind: 'audio' }, { conversationId: w.privateId, kind: 'video' }], expect: 'error' },
      'call:ringing': { payloads: () => [{ callId }], expect: 'error' },
      'call:accept': { payloads: () => [{ callId }], expect: 'error' },
      'call:decline': { payloads: () => [{ callId }], expect: 'error' },
      'call:cancel': { payloads: () => [{ callId }], expect: 'error' },
      'call:end': { payloads: () => [{ callId }, { callId, reason: 'failed', cause: 'x' }], expect: 'error' },
      'call:signal': {
        payloads: () => [{ callId, signal: { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' } } }],
        expect: 'error',
      },
      'call:rejoin': { payloads: () => [{ callId }], expect: 'error' },
    } satisfies Record<keyof ClientToServerEvents, EventCase>;

    it('answers every event naming the private activity or the others\' conversation with a refusal, and tells the members nothing', async () => {
      let cases = 0;
      const emit = outsiderSocket as unknown as {
        timeout: (ms: number) => { emitWithAck: (event: string, payload: unknown) => Promise<Ack<unknown>> };
        emit: (event: string, payload: unknown) => void;
      };
      for (const [event, eventCase] of Object.entries(EVENT_CASES) as [keyof ClientToServerEvents, EventCase][]) {
        for (const payload of eventCase.payloads(world, world.outsider.token)) {
          const label = `${event} ${JSON.stringify(payload)}`;
          const ack = await emit.timeout(5000).emitWithAck(event, payload);
          expectNoSecret(world, ack, label);
          if (eventCase.expect === 'error') {
            expect(ack.ok, `${label}: ${JSON.stringify(ack)}`).toBe(false);
            if (!ack.ok) expect(ErrorBody.safeParse(ack.error).success, label).toBe(true);
          } else if (eventCase.expect === 'items-refused') {
            expect(ack.ok, label).toBe(true);
            if (ack.ok) for (const item of ack.data as { error?: unknown }[]) expect(ErrorBody.safeParse(item.error).success, `${label}: ${JSON.stringify(item)}`).toBe(true);
          } else if (eventCase.expect === 'empty') {
            expect(ack, label).toEqual({ ok: true, data: [] });
          } else {
            expect(ack.ok, label).toBe(true);
            expect(JSON.stringify(ack), label).not.toContain(world.directId);
          }
          // Also without an ack, as a fire-and-forget client would send it.
          emit.emit(event, payload);
          cases += 2;
        }
      }
      // The outsider's last fire-and-forget events are handled before this acked one is answered;
      // then a pause and a round trip on each member's socket: anything relayed has arrived by now.
      await emit.timeout(5000).emitWithAck('room:leave', { activityId: world.privateId });
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const socket of memberSockets) expect((await socket.timeout(5000).emitWithAck('presence:query', { userIds: [world.owner.id] })).ok).toBe(true);
      expect(heard).toEqual([]);
      expect(outsiderSocket.connected, 'the outsider\'s socket was not closed on its own bad renewals').toBe(true);
      console.info(`hostile clients: ${cases} outsider socket cases`);
    });
  });
});
