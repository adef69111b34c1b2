import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FCM_DATA_KEY, readPushData } from '../../../protocol';
import { startFcmService, type FcmStandIn } from '../../support/fcm-service';
import { startTestServer, type TestServer, type TestUser } from '../harness';
import { activityWith, devicesOf, randomUUID, registerFcmDevice, registerUser, sendMessage, settled } from './push-world';

/**
 * FCM end to end: the real firebase-admin (messaging.send, HTTP v1) reaches a local stand-in of
 * fcm.googleapis.com through its own seams (a credential and an httpAgent).
 */
describe('FCM delivery', () => {
  let fcm: FcmStandIn;
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  let room: string;

  beforeAll(async () => {
    fcm = await startFcmService('rally-test');
    server = await startTestServer({ PUSH_POLL_INTERVAL_MS: '50', PUSH_RETRY_BASE_MS: '100' }, { pushTransport: { fcm: fcm.senderOptions } });
    [ana, ben] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben')];
    room = await activityWith(server, ana, [ben], 'Lake swim');
  });
  afterAll(async () => {
    await server?.close();
    await fcm?.close();
  });

  it('sends a data-only message the worker reads, with priority, Urgency, TTL and Topic', async () => {
    const token = `token-${randomUUID()}`;
    const device = await registerFcmDevice(server, ben, token);
    await sendMessage(server, ana, room, 'Over FCM');
    const [sent] = await fcm.waitForAccepted(1, token);
    expect(sent).toBeDefined();
    expect(sent!.projectId).toBe('rally-test');
    expect(sent!.authorization).toBe('Bearer test');
    expect(Object.keys(sent!.message)).not.toContain('notification');
    expect(Object.keys(sent!.message.data ?? {})).toEqual([FCM_DATA_KEY]);
    const payload = readPushData({ data: sent!.message.data });
    expect(payload).toMatchObject({ kind: 'message', userId: ben.id, url: `/chat/${room}`, message: { body: 'Over FCM' } });
    expect(sent!.message.android?.priority).toBe('high');
    expect(sent!.message.webpush?.headers).toMatchObject({ Urgency: 'high', TTL: '86400' });
    expect(sent!.message.webpush?.headers?.Topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await settled(server, device)).map((row) => row.status)).toEqual(['sent']);
  });

  it('retries a 500 (and firebase-admin a 503 itself), delivering once', async () => {
    const token = `token-${randomUUID()}`;
    const device = await registerFcmDevice(server, ben, token);
    fcm.script(token, 500, 503);
    await sendMessage(server, ana, room, 'Busy?');
    // Our attempt 1 got the 500; attempt 2 met the 503, which firebase-admin retried on its own.
    expect((await settled(server, device)).map((row) => [row.status, row.attempts])).toEqual([['sent', 2]]);
    expect(fcm.received().filter((entry) => entry.message.token === token).map((entry) => entry.status)).toEqual([500, 503, 200]);
  });

  it('removes a device whose token FCM answers UNREGISTERED', async () => {
    const token = `token-${randomUUID()}`;
    const device = await registerFcmDevice(server, ben, token);
    fcm.unregister(token);
    await sendMessage(server, ana, room, 'Still there?');
    const rows = await settled(server, device);
    expect(rows.map((row) => row.status)).toEqual(['expired']);
    expect(rows[0]?.lastError).toMatch(/registration-token-not-registered/);
    expect(await devicesOf(server, ben)).not.toContain(device);
  });
});
