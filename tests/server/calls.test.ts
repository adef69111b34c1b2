import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAs, nextEvent, registerUser, socketAuthFor, request, startTestServer, useSockets, futureInstant, useTwoProcesses, type TestServer, type TestUser } from './harness';
import { collect, emitCall, invite, openDirect, syncedCallLines } from './call-helpers';

const offer = { type: 'description', description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } };

describe('calls over sockets', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  let cleo: TestUser;
  const sockets = useSockets();

  beforeAll(async () => {
    server = await startTestServer({ CALL_RING_TIMEOUT_MS: '600', CALL_REJOIN_HOLD_MS: '600', ICE_SERVERS: 'stun:127.0.0.1:3478,turn:127.0.0.1:3478', TURN_SECRET: 'a-test-secret-of-16+' });
    [ana, ben, cleo] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben'), await registerUser(server, 'Cleo')];
  });
  afterAll(() => server.close());

  it('rings every device of the callee; the first to accept carries the call, the others stop', async () => {
    const anaSocket = await sockets.connect(server, ana);
    const [benPhone, benLaptop] = [await sockets.connect(server, ben), await sockets.connect(server, ben)];
    const conversationId = await openDirect(anaSocket, ana, ben);
    const rings = [nextEvent(benPhone, 'call:incoming'), nextEvent(benLaptop, 'call:incoming')];
    const call = await invite(anaSocket, conversationId, 'video');
    expect(call).toMatchObject({ state: 'ringing', callerId: ana.id, calleeId: ben.id, kind: 'video', callerName: 'Ana' });
    for (const ring of await Promise.all(rings)) expect(ring.call.id).toBe(call.id);

    const anaHearsRinging = nextEvent(anaSocket, 'call:ringing');
    expect(await emitCall(benPhone, 'call:ringing', { callId: call.id })).toEqual({ ok: true, data: null });
    expect((await anaHearsRinging).callId).toBe(call.id);

    const anaHearsAnswer = nextEvent(anaSocket, 'call:accepted');
    const laptopStops = nextEvent(benLaptop, 'call:ended');
    const phoneEnded = collect(benPhone, 'call:ended', 300);
    expect(await emitCall(benPhone, 'call:accept', { callId: call.id })).toMatchObject({ ok: true, data: { state: 'active' } });
    expect((await anaHearsAnswer).call.state).toBe('active');
    expect(await laptopStops).toEqual({ callId: call.id, reason: 'answered_elsewhere', cause: null });
    expect(await phoneEnded).toEqual([]);
    expect(await emitCall(benLaptop, 'call:accept', { callId: call.id })).toMatchObject({ ok: false, error: { code: 'conflict', message: 'Answered on another device' } });

    // Signals go to the one socket that carries the other side, never to the laptop.
    const phoneHears = nextEvent(benPhone, 'call:signal');
    const laptopHears = collect(benLaptop, 'call:signal', 300);
    expect(await emitCall(anaSocket, 'call:signal', { callId: call.id, signal: offer })).toEqual({ ok: true, data: null });
    expect(await phoneHears).toEqual({ callId: call.id, signal: offer });
    expect(await laptopHears).toEqual([]);
    expect(await emitCall(benLaptop, 'call:signal', { callId: call.id, signal: offer })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const bothHear = [nextEvent(anaSocket, 'call:ended'), nextEvent(benPhone, 'call:ended')];
    expect(await emitCall(anaSocket, 'call:end', { callId: call.id })).toEqual({ ok: true, data: null });
    for (const ended of await Promise.all(bothHear)) expect(ended).toEqual({ callId: call.id, reason: 'hung_up', cause: null });
    expect(await emitCall(benPhone, 'call:end', { callId: call.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // Exactly one line, on both people's devices through the feed.
    for (const user of [ana, ben]) expect(await syncedCallLines(server, user, conversationId)).toEqual([expect.stringMatching(/^Video call · 0:0\d$/)]);
  });

  it("refuses anyone but the conversation's two people, and bad payloads, with an error ack", async () => {
    const [anaSocket, cleoSocket] = [await sockets.connect(server, ana), await sockets.connect(server, cleo)];
    const conversationId = await openDirect(anaSocket, ana, ben);
    expect(await emitCall(cleoSocket, 'call:invite', { conversationId, kind: 'audio' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const call = await invite(anaSocket, conversationId);
    for (const [event, payload] of [
      ['call:accept', { callId: call.id }],
      ['call:decline', { callId: call.id }],
      ['call:ringing', { callId: call.id }],
      ['call:cancel', { callId: call.id }],
      ['call:end', { callId: call.id }],
      ['call:rejoin', { callId: call.id }],
      ['call:signal', { callId: call.id, signal: offer }],
    ] as const) {
      expect(await emitCall(cleoSocket, event, payload), event).toMatchObject({ ok: false, error: { code: 'not_found', message: 'Call not found' } });
    }
    expect(await emitCall(anaSocket, 'call:invite', { conversationId, kind: 'hologram' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await emitCall(anaSocket, 'call:signal', { callId: call.id, signal: { type: 'description', description: { type: 'offer', sdp: 'x'.repeat(70_000) } } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    // Signaling before the answer has nowhere to go.
    expect(await emitCall(anaSocket, 'call:signal', { callId: call.id, signal: offer })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // An activity's room is no place for a call.
    const room = await request(server, 'POST', '/api/activities', { token: ana.token, body: { title: 'Run', startsAt: futureInstant() } });
    expect(await emitCall(anaSocket, 'call:invite', { conversationId: room.body.id, kind: 'audio' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await emitCall(anaSocket, 'call:cancel', { callId: call.id })).toEqual({ ok: true, data: null });
    expect(await syncedCallLines(server, ben, conversationId)).toContain('Cancelled voice call');
  });

  it('answers busy to a second caller, and a declined call leaves its line', async () => {
    const [anaSocket, benSocket, cleoSocket] = [await sockets.connect(server, ana), await sockets.connect(server, ben), await sockets.connect(server, cleo)];
    const anaBen = await openDirect(anaSocket, ana, ben);
    const cleoBen = await openDirect(cleoSocket, cleo, ben);
    const cleoAna = await openDirect(cleoSocket, cleo, ana);
    const first = await invite(anaSocket, anaBen);
    const benHeard = collect(benSocket, 'call:incoming', 300);
    expect(await invite(cleoSocket, cleoBen)).toMatchObject({ state: 'ended', endReason: 'busy', callerId: cleo.id });
    expect(await invite(cleoSocket, cleoAna)).toMatchObject({ state: 'ended', endReason: 'busy' });
    expect(await benHeard).toEqual([]);
    // The caller of a call in progress cannot start another.
    expect(await emitCall(anaSocket, 'call:invite', { conversationId: cleoAna, kind: 'audio' })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const anaHears = nextEvent(anaSocket, 'call:ended');
    expect(await emitCall(benSocket, 'call:decline', { callId: first.id })).toEqual({ ok: true, data: null });
    expect(await anaHears).toMatchObject({ reason: 'declined' });
    expect(await syncedCallLines(server, ben, cleoBen)).toEqual(['Missed voice call']);
    expect(await syncedCallLines(server, ana, anaBen)).toContain('Declined voice call');
    // Both lines are free again.
    const again = await invite(cleoSocket, cleoBen);
    expect(again).toMatchObject({ state: 'ringing' });
    expect(await emitCall(cleoSocket, 'call:cancel', { callId: again.id })).toEqual({ ok: true, data: null });
  });

  it('ends an unanswered call after the ring timeout as missed', async () => {
    const [anaSocket, benSocket] = [await sockets.connect(server, ana), await sockets.connect(server, ben)];
    const conversationId = await openDirect(anaSocket, ana, ben);
    const started = Date.now();
    const call = await invite(anaSocket, conversationId);
    const [toAna, toBen] = await Promise.all([nextEvent(anaSocket, 'call:ended'), nextEvent(benSocket, 'call:ended')]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    for (const ended of [toAna, toBen]) expect(ended).toEqual({ callId: call.id, reason: 'no_answer', cause: null });
    expect((await syncedCallLines(server, ben, conversationId)).at(-1)).toBe('Missed voice call');
    expect(await emitCall(benSocket, 'call:accept', { callId: call.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('rings a device that connects while the call rings, and not one that connects after', async () => {
    const anaSocket = await sockets.connect(server, ana);
    const conversationId = await openDirect(anaSocket, ana, ben);
    const call = await invite(anaSocket, conversationId);
    // The app opened on Ben's phone while Ana's call rings: it rings there too, and can answer.
    const benLate = sockets.track(connectAs(server, socketAuthFor(ben)));
    expect((await nextEvent(benLate, 'call:incoming')).call.id).toBe(call.id);
    expect(await emitCall(benLate, 'call:accept', { callId: call.id })).toMatchObject({ ok: true, data: { state: 'active' } });
    expect(await emitCall(anaSocket, 'call:end', { callId: call.id })).toEqual({ ok: true, data: null });
    // Over: a device that connects now hears nothing of it.
    const benLater = sockets.track(connectAs(server, socketAuthFor(ben)));
    expect(await collect(benLater, 'call:incoming', 400)).toEqual([]);
  });

  it('holds an answered call for a side that reloads, and ends it if they never come back', async () => {
    const [anaSocket, benSocket] = [await sockets.connect(server, ana), await sockets.connect(server, ben)];
    const conversationId = await openDirect(anaSocket, ana, ben);
    const call = await invite(anaSocket, conversationId);
    await emitCall(benSocket, 'call:accept', { callId: call.id });

    anaSocket.disconnect();
    const anaAgain = await sockets.connect(server, ana);
    const benHearsRejoin = nextEvent(benSocket, 'call:rejoined');
    expect(await emitCall(anaAgain, 'call:rejoin', { callId: call.id })).toMatchObject({ ok: true, data: { id: call.id, state: 'active' } });
    expect(await benHearsRejoin).toEqual({ callId: call.id });
    // Past the hold: the rejoin kept the call.
    expect(await collect(benSocket, 'call:ended', 900)).toEqual([]);
    const signal = nextEvent(benSocket, 'call:signal');
    await emitCall(anaAgain, 'call:signal', { callId: call.id, signal: offer });
    expect((await signal).callId).toBe(call.id);

    const benEnded = nextEvent(benSocket, 'call:ended');
    anaAgain.disconnect();
    expect(await benEnded).toEqual({ callId: call.id, reason: 'connection_lost', cause: null });
    expect((await syncedCallLines(server, ana, conversationId)).at(-1)).toMatch(/^Voice call · 0:0\d$/);
  });

  it('hands signed-in users ICE servers with TURN credentials, and nobody else', async () => {
    expect((await request(server, 'GET', '/api/calls/ice-servers')).status).toBe(401);
    const answer = await request(server, 'GET', '/api/calls/ice-servers', { token: ana.token });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const turn = answer.body.iceServers.find((server: { urls: string[] }) => server.urls[0]?.startsWith('turn:'));
    expect(turn.username).toMatch(new RegExp(`^\\d+:${ana.id}$`));
    expect(Number(turn.username.split(':')[0]) * 1000).toBeGreaterThan(Date.now());
  });
});

/** Behind Redis the caller and the callee may be connected to different processes. */
describe('calls across two processes', () => {
  const processes = useTwoProcesses();
  const sockets = useSockets();

  it('rings, answers, relays signals and ends a call whose people sit on different processes', async () => {
    const { first, second } = processes();
    const [ana, ben] = [await registerUser(first, 'Ana'), await registerUser(second, 'Ben')];
    const anaSocket = await sockets.connect(first, ana);
    const [benOnSecond, benOnFirst] = [await sockets.connect(second, ben), await sockets.connect(first, ben)];
    const conversationId = await openDirect(anaSocket, ana, ben);

    const rings = [nextEvent(benOnSecond, 'call:incoming'), nextEvent(benOnFirst, 'call:incoming')];
    const call = await invite(anaSocket, conversationId, 'video');
    await Promise.all(rings);
    const ringing = nextEvent(anaSocket, 'call:ringing');
    await emitCall(benOnSecond, 'call:ringing', { callId: call.id });
    await ringing;

    const answered = nextEvent(anaSocket, 'call:accepted');
    const elsewhere = nextEvent(benOnFirst, 'call:ended');
    expect(await emitCall(benOnSecond, 'call:accept', { callId: call.id })).toMatchObject({ ok: true });
    await answered;
    expect((await elsewhere).reason).toBe('answered_elsewhere');

    const relayed = nextEvent(benOnSecond, 'call:signal');
    await emitCall(anaSocket, 'call:signal', { callId: call.id, signal: offer });
    expect(await relayed).toEqual({ callId: call.id, signal: offer });

    const ended = nextEvent(anaSocket, 'call:ended');
    expect(await emitCall(benOnSecond, 'call:end', { callId: call.id })).toEqual({ ok: true, data: null });
    expect((await ended).reason).toBe('hung_up');
    expect(await syncedCallLines(first, ana, conversationId)).toEqual([expect.stringMatching(/^Video call · /)]);
  });
});
