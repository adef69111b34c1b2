import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminMetrics, DeviceList, PushConfig } from '../../../protocol';
import { request, startTestServer, type TestServer, type TestUser } from '../harness';
import { devicesOf, registerFcmDevice, registerUser, registerWebPushDevice } from './push-world';

const subscription = () => ({ endpoint: `https://push.example.test/${randomUUID()}`, keys: { p256dh: 'BPublicKey', auth: 'secret' } });

describe('devices, push config and admin metrics', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;

  beforeAll(async () => {
    server = await startTestServer({
      PUSH_DISPATCHER: 'off',
      FIREBASE_WEB_CONFIG: JSON.stringify({ apiKey: 'key', projectId: 'rally-test', messagingSenderId: '42', appId: '1:42:web:abc' }),
    });
    [ana, ben] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben')];
  });
  afterAll(async () => server?.close());

  it('lists a user\'s own devices without their endpoint or token, and updates one registered again', async () => {
    const id = await registerWebPushDevice(server, ana, subscription());
    await registerWebPushDevice(server, ana, subscription(), id);
    await registerFcmDevice(server, ana, 'secret-fcm-token');
    const listed = await request(server, 'GET', '/api/devices', { token: ana.token });
    const devices = DeviceList.parse(listed.body).devices;
    expect(devices.map((device) => device.kind).sort()).toEqual(['fcm', 'webpush']);
    expect(JSON.stringify(listed.body)).not.toMatch(/push\.example\.test|secret-fcm-token|BPublicKey/);
    expect(await devicesOf(server, ben)).toEqual([]);
  });

  it('gives a device to whoever registered it last (a shared phone), and lets only its owner remove it', async () => {
    const id = await registerWebPushDevice(server, ana, subscription());
    await registerWebPushDevice(server, ben, subscription(), id);
    expect(await devicesOf(server, ana)).not.toContain(id);
    expect(await devicesOf(server, ben)).toContain(id);
    const refused = await request(server, 'DELETE', `/api/devices/${id}`, { token: ana.token });
    expect(refused.status).toBe(404);
    expect(await devicesOf(server, ben)).toContain(id);
    expect((await request(server, 'DELETE', `/api/devices/${id}`, { token: ben.token })).status).toBe(204);
    expect(await devicesOf(server, ben)).not.toContain(id);
  });

  it('serves the push config to anyone: the VAPID public key and the Firebase web config', async () => {
    const config = PushConfig.parse((await request(server, 'GET', '/api/push/config')).body);
    expect(config.vapidPublicKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);
    expect(config.firebase).toEqual({ apiKey: 'key', projectId: 'rally-test', messagingSenderId: '42', appId: '1:42:web:abc' });
  });

  it('lets pages reach Firebase\'s two endpoints when it serves a Firebase web config (getToken calls them from the page)', async () => {
    const csp = (await request(server, 'GET', '/api/health')).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("connect-src 'self' https://firebaseinstallations.googleapis.com https://fcmregistrations.googleapis.com;");
  });

  it('shows the admin metrics to the users ADMIN_USER_IDS names, and refuses everyone else', async () => {
    expect((await request(server, 'GET', '/api/admin/metrics', { token: ana.token })).status).toBe(403);
    server.config.adminUserIds.push(ana.id);
    const metrics = await request(server, 'GET', '/api/admin/metrics', { token: ana.token });
    expect(metrics.status).toBe(200);
    expect(AdminMetrics.parse(metrics.body).push).toEqual({ queued: 0, sent: 0, failed: 0, expired: 0, skippedLive: 0, oldestPendingAgeMs: null });
  });
});
