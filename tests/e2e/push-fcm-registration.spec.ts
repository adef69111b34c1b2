import { expect, test, type BrowserContext } from '@playwright/test';
import type { PushConfig } from '../../protocol';
import { startPushService, type PushServiceStandIn } from '../support/push-service';
import { api, registerApiUser } from './api-client';
import { signInViaForm, waitForServiceWorker } from './fixtures';
import { messagePayload } from '../../server/push/push-payload';
import { asFcmMessage, flipNotifications, pushDelivery, sendMessage, shownNotifications, stubPushSubscribeAs } from './push-helpers';
import { ServerProcess } from './server-process';

/**
 * Issue 12: the page's FCM registration with Firebase's real `getToken`, Google's two endpoints
 * answered here through `context.route` the way they answer (shapes read from
 * @firebase/installations and @firebase/messaging). Each test has a fresh context: Firebase keeps
 * its installation and token in IndexedDB. No FIREBASE_PROJECT_ID: the server sends nothing over
 * FCM, which is fine, since what is checked is what the page registers.
 */

const firebaseWebConfig = { apiKey: 'AIzaSyE2eFakeKeyForRallyTests000000000', projectId: 'rally-e2e', messagingSenderId: '1234567890', appId: '1:1234567890:web:0123456789abcdef' };

let standIn: PushServiceStandIn;
let server: ServerProcess;

test.beforeAll(async () => {
  // Only for a subscription of the right shape (real P-256 keys): nothing is sent to it.
  standIn = await startPushService();
  server = await ServerProcess.onFreePort({ env: { FIREBASE_WEB_CONFIG: JSON.stringify(firebaseWebConfig) } });
  await server.start();
});

test.afterAll(async () => {
  await server?.dispose();
  await standIn?.close();
});

/** What Google's installations and registrations endpoints were asked, answered as they answer. */
async function standInForGoogle(context: BrowserContext) {
  const asked: { url: string; method: string; headers: Record<string, string>; body: unknown }[] = [];
  await context.route('https://firebaseinstallations.googleapis.com/**', async (route) => {
    const request = route.request();
    asked.push({ url: request.url(), method: request.method(), headers: request.headers(), body: request.postDataJSON() as unknown });
    if (request.method() === 'POST' && new URL(request.url()).pathname === `/v1/projects/${firebaseWebConfig.projectId}/installations`) {
      const sent = request.postDataJSON() as { fid: string };
      return route.fulfill({
        json: {
          name: `projects/${firebaseWebConfig.messagingSenderId}/installations/${sent.fid}`,
          fid: sent.fid,
          refreshToken: 'e2e-refresh-token',
          authToken: { token: 'e2e-fis-auth-token', expiresIn: '604800s' },
        },
      });
    }
    return route.fulfill({ status: 404, json: { error: { code: 404, message: 'not stood in', status: 'NOT_FOUND' } } });
  });
  await context.route('https://fcmregistrations.googleapis.com/**', async (route) => {
    const request = route.request();
    asked.push({ url: request.url(), method: request.method(), headers: request.headers(), body: request.postDataJSON() as unknown });
    if (request.method() === 'POST' && new URL(request.url()).pathname === `/v1/projects/${firebaseWebConfig.projectId}/registrations`) {
      return route.fulfill({ json: { token: `fcm-token-${crypto.randomUUID()}` } });
    }
    return route.fulfill({ status: 404, json: { error: { code: 404, message: 'not stood in', status: 'NOT_FOUND' } } });
  });
  return asked;
}

test('with a Firebase web config, the switch registers an FCM device through the real getToken, on the push subscription made with the one VAPID key; Firebase loads only then; an FCM data message shows', async ({ browser }) => {
  const ben = await registerApiUser(server.url, 'Ben');
  const config = (await (await fetch(`${server.url}/api/push/config`)).json()) as PushConfig;
  expect(config.firebase).toEqual(firebaseWebConfig);
  const subscription = standIn.subscribe();

  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 } });
  await context.grantPermissions(['notifications'], { origin: server.url });
  await context.addInitScript(stubPushSubscribeAs, subscription.subscription);
  const asked = await standInForGoogle(context);
  const requested: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  const firebaseCode = () => requested.filter((url) => /\/assets\/firebase/.test(url));

  const page = await context.newPage();
  await signInViaForm(page, ben.email, ben.password);
  await waitForServiceWorker(page);
  await page.goto('/settings');
  await expect(page.getByTestId('push-state')).toHaveAttribute('data-state', 'off');
  // Signed in, the worker installed (its precache fetched), the settings open: no Firebase yet.
  expect(firebaseCode()).toEqual([]);

  await flipNotifications(page, 'on');
  expect(firebaseCode().length).toBeGreaterThan(0);

  // The server holds an FCM device for Ben.
  const { devices } = await api<{ devices: { kind: string }[] }>(server.url, ben, 'GET', '/api/devices');
  expect(devices).toEqual([expect.objectContaining({ kind: 'fcm' })]);

  // Firebase asked Google as the real SDK does: an installation, then a registration of the very
  // push subscription the stand-in made, with the server's VAPID key.
  const installation = asked.find((call) => call.url.endsWith('/installations'));
  expect(installation).toMatchObject({ method: 'POST', headers: expect.objectContaining({ 'x-goog-api-key': firebaseWebConfig.apiKey }), body: expect.objectContaining({ appId: firebaseWebConfig.appId }) });
  const registration = asked.find((call) => call.url.endsWith('/registrations'));
  expect(registration).toMatchObject({
    method: 'POST',
    headers: expect.objectContaining({ 'x-goog-firebase-installations-auth': 'FIS e2e-fis-auth-token' }),
    body: { web: expect.objectContaining({ endpoint: subscription.subscription.endpoint, p256dh: subscription.subscription.keys.p256dh, auth: subscription.subscription.keys.auth, applicationPubKey: config.vapidPublicKey }) },
  });
  // One VAPID key for both paths: the only subscription made was with the server's key.
  expect(await page.evaluate(() => (window as unknown as { subscribedWithKeys: string[] }).subscribedWithKeys)).toEqual([config.vapidPublicKey]);

  // What FCM would deliver to this device: the server's own payload for a message really sent,
  // as a data message. The worker reads it itself (Firebase's worker script is never loaded).
  const ana = await registerApiUser(server.url, 'Ana');
  const title = `Kayak ${Date.now()}`;
  const { id: roomId } = await api<{ id: string }>(server.url, ana, 'POST', '/api/activities', { title, startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString() });
  await api(server.url, ben, 'POST', `/api/activities/${roomId}/join`);
  const message = await sendMessage(server.url, ana, roomId, 'Paddles are in the van.');
  const deliver = await pushDelivery(context, page);
  await deliver(asFcmMessage(messagePayload({ userId: ben.id, message, title, sentAt: new Date() })));
  await expect.poll(() => shownNotifications(page, `chat:${roomId}`)).toEqual([
    expect.objectContaining({ title, body: 'Ana: Paddles are in the van.', data: expect.objectContaining({ url: `/chat/${roomId}` }) }),
  ]);
  await context.close();
});
