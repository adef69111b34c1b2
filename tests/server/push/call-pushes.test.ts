import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPushData, type PushPayload } from '../../../protocol';
import { startPushService, type PushServiceStandIn } from '../../support/push-service';
import { collect, emitCall, invite, openDirect } from '../call-helpers';
import { nextEvent, request, startTestServer, useSockets, type TestServer, type TestUser } from '../harness';
import { registerUser, registerWebPushDevice } from './push-world';

/**
 * A callee with Rally closed: the call reaches their phone as a real, encrypted Web Push of high
 * urgency, and its end (unanswered) follows under the same topic, so the missed call replaces the
 * ringing one. The notification's Decline reaches the server over HTTP (a worker has no socket).
 */
describe('call pushes', () => {
  let pushService: PushServiceStandIn;
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  let cleo: TestUser;
  const sockets = useSockets();

  beforeAll(async () => {
    pushService = await startPushService();
    server = await startTestServer({ PUSH_POLL_INTERVAL_MS: '50', CALL_RING_TIMEOUT_MS: '1500' }, { pushTransport: { webPushAgent: pushService.agent } });
    [ana, ben, cleo] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben'), await registerUser(server, 'Cleo')];
  });
  afterAll(async () => {
    await server?.close();
    await pushService?.close();
  });

  async function pushesOf(subscriptionId: string, count: number): Promise<{ payload: PushPayload; urgency: string | undefined; topic: string | undefined }[]> {
    const delivered = await pushService.waitForDelivered(count, 10_000, subscriptionId);
    expect(delivered).toHaveLength(count);
    return delivered.map((push) => ({ payload: readPushData(push.payload)!, urgency: push.urgency, topic: push.topic }));
  }

  it('rings a callee with no live connection through a high-urgency push, and Decline from its notification ends the call', async () => {
    const phone = pushService.subscribe();
    await registerWebPushDevice(server, ben, phone.subscription);
    const anaSocket = await sockets.connect(server, ana);
    const conversationId = await openDirect(anaSocket, ana, ben);
    const call = await invite(anaSocket, conversationId, 'video');

    const [ringing] = await pushesOf(phone.id, 1);
    expect(ringing!.urgency).toBe('high');
    expect(ringing!.payload).toMatchObject({
      kind: 'call',
      userId: ben.id,
      title: 'Ana',
      body: 'Incoming video call',
      tag: `call:${call.id}`,
      url: `/chat/${conversationId}`,
      call: { call: { id: call.id, state: 'ringing', kind: 'video', callerName: 'Ana' } },
    });
    expect(Date.parse(ringing!.payload.call!.ringsUntil!)).toBeGreaterThan(Date.now());

    // Only the callee declines, only their own call, only while it rings.
    expect((await request(server, 'POST', `/api/calls/${call.id}/decline`, { token: cleo.token })).status).toBe(404);
    expect((await request(server, 'POST', `/api/calls/${call.id}/decline`, { token: ana.token })).status).toBe(409);
    const bad = await request(server, 'POST', '/api/calls/not-a-call/decline', { token: ben.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_input' });
    expect((await request(server, 'POST', `/api/calls/${call.id}/decline`)).status).toBe(401);

    const anaHears = nextEvent(anaSocket, 'call:ended');
    expect((await request(server, 'POST', `/api/calls/${call.id}/decline`, { token: ben.token })).status).toBe(204);
    expect(await anaHears).toEqual({ callId: call.id, reason: 'declined', cause: null });
    expect((await request(server, 'POST', `/api/calls/${call.id}/decline`, { token: ben.token })).status).toBe(409);

    // The ringing notification on the phone is replaced (same topic) by what became of the call.
    const [, ended] = await pushesOf(phone.id, 2);
    expect(ended!.topic).toBe(ringing!.topic);
    expect(ended!.payload).toMatchObject({ kind: 'call', tag: `call:${call.id}`, call: { call: { id: call.id, state: 'ended', endReason: 'declined' }, ringsUntil: null } });
  });

  it('pushes the missed call when nobody answers, and nothing more for a call answered on a live device', async () => {
    const phone = pushService.subscribe();
    await registerWebPushDevice(server, cleo, phone.subscription);
    const anaSocket = await sockets.connect(server, ana);
    const conversationId = await openDirect(anaSocket, ana, cleo);

    const missed = await invite(anaSocket, conversationId);
    expect((await nextEvent(anaSocket, 'call:ended', 10_000)).reason).toBe('no_answer');
    const pushes = await pushesOf(phone.id, 2);
    expect(pushes.map(({ payload }) => [payload.body, payload.call?.call.state, payload.call?.call.endReason])).toEqual([
      ['Incoming voice call', 'ringing', null],
      ['Missed voice call', 'ended', 'no_answer'],
    ]);
    expect(pushes.every(({ payload }) => payload.tag === `call:${missed.id}`)).toBe(true);

    // Cleo opens Rally and answers there: the phone got the ring, and nothing after it.
    const cleoSocket = await sockets.connect(server, cleo);
    const rings = nextEvent(cleoSocket, 'call:incoming');
    const answered = await invite(anaSocket, conversationId);
    expect((await rings).call.id).toBe(answered.id);
    expect(await emitCall(cleoSocket, 'call:accept', { callId: answered.id })).toMatchObject({ ok: true });
    expect(await emitCall(anaSocket, 'call:end', { callId: answered.id })).toEqual({ ok: true, data: null });
    await collect(anaSocket, 'none', 500);
    const after = await pushesOf(phone.id, 3);
    expect(after.map(({ payload }) => payload.tag)).toEqual([`call:${missed.id}`, `call:${missed.id}`, `call:${answered.id}`]);
  });
});
