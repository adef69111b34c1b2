import { expect, test } from '@playwright/test';
import { PushPayload } from '../../protocol';
import { startPushService, type PushServiceStandIn } from '../support/push-service';
import { pushServiceTrust } from '../support/rally-process';
import { api, registerApiUser, type ApiUser } from './api-client';
import { signInViaForm, waitForServiceWorker } from './fixtures';
import { clickNotification, flipNotifications, lastBadge, rawPushDelivery, sendMessage, shownNotifications, stubPushSubscribeAs, waitForOpenSockets } from './push-helpers';
import { ServerProcess } from './server-process';

/**
 * Issue 12, done-when 2, end to end: the push the server itself builds and encrypts, for a device
 * the real page registered. A local push service (tests/support/push-service.ts) holds the
 * subscription's private key; the server, trusting its certificate, sends it the real Web Push
 * request; the decrypted bytes are what the worker gets (headless Chromium has no push service of
 * its own, so the DevTools protocol hands them over). Nothing of the payload is made here.
 */

let standIn: PushServiceStandIn;
let server: ServerProcess;
const METRICS_TOKEN = 'push-from-server-metrics-token';

test.beforeAll(async () => {
  standIn = await startPushService();
  // Its own server: the shared one was started without trusting the stand-in's certificate.
  server = await ServerProcess.onFreePort({ env: { ...pushServiceTrust(standIn), PUSH_POLL_INTERVAL_MS: '200', METRICS_TOKEN } });
  await server.start();
});

test.afterAll(async () => {
  await server?.dispose();
  await standIn?.close();
});

async function roomWith(owner: ApiUser, member: ApiUser): Promise<string> {
  const { id } = await api<{ id: string }>(server.url, owner, 'POST', '/api/activities', {
    title: `Climbing ${Date.now()}`,
    startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString(),
  });
  await api(server.url, member, 'POST', `/api/activities/${id}/join`);
  return id;
}

test('the server\'s own push reaches the worker: tag, link and badge; the next collapses; a tap opens it offline; a live device gets none', async ({ browser }) => {
  const [ana, ben] = [await registerApiUser(server.url, 'Ana'), await registerApiUser(server.url, 'Ben')];
  const roomId = await roomWith(ana, ben);
  const subscription = standIn.subscribe();

  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 } });
  await context.grantPermissions(['notifications'], { origin: server.url });
  await context.addInitScript(stubPushSubscribeAs, subscription.subscription);
  const page = await context.newPage();
  await signInViaForm(page, ben.email, ben.password);
  await waitForServiceWorker(page);

  // The real settings switch registers the device (POST /api/devices with the stand-in's subscription).
  await page.goto('/settings');
  await flipNotifications(page, 'on');
  const { devices } = await api<{ devices: { kind: string }[] }>(server.url, ben, 'GET', '/api/devices');
  expect(devices).toEqual([expect.objectContaining({ kind: 'webpush' })]);
  expect(await page.evaluate(() => (window as unknown as { subscribedWithKeys: string[] }).subscribedWithKeys)).toEqual([
    (await (await fetch(`${server.url}/api/push/config`)).json() as { vapidPublicKey: string }).vapidPublicKey,
  ]);

  // While this device's socket is live, the server pushes it nothing: the socket brings the message.
  await page.goto(`/chat/${roomId}`);
  await expect(page.getByTestId('connection')).toHaveText(/Online/);
  await sendMessage(server.url, ana, roomId, 'Seen live.');
  await expect(page.getByRole('log', { name: 'Messages' }).getByText('Seen live.')).toBeVisible();
  await page.waitForTimeout(3_000);
  expect(standIn.received()).toEqual([]);

  // Away from the app (a document the worker does not answer with the shell): the socket closes,
  // the worker stays registered, and this page still gives a DevTools session on the origin.
  await page.goto('/api/ready');
  // Only once the server has seen that socket close does it push instead (it closes a moment later
  // there than here: a message sent before then went by the socket, to a page no longer listening).
  await waitForOpenSockets(server.url, METRICS_TOKEN, 0);
  const deliver = await rawPushDelivery(context, page);
  const tag = `chat:${roomId}`;

  /** Ana writes; the server sends its push to the stand-in, whose decrypted bytes go to the worker. */
  const pushed = async (body: string, count: number) => {
    await sendMessage(server.url, ana, roomId, body);
    const received = await standIn.waitForDelivered(count, 15_000, subscription.id);
    expect(received).toHaveLength(count);
    const push = received[count - 1]!;
    expect(push).toMatchObject({ urgency: 'high', contentEncoding: 'aes128gcm' });
    const payload = PushPayload.parse(push.payload);
    expect(payload).toMatchObject({ kind: 'message', userId: ben.id, tag, url: `/chat/${roomId}`, message: expect.objectContaining({ body }) });
    await deliver(push.text!);
    return payload;
  };

  const first = await pushed('Ropes at nine?', 1);
  await expect.poll(() => shownNotifications(page, tag)).toEqual([
    expect.objectContaining({ title: first.title, body: 'Ana: Ropes at nine?', tag, data: expect.objectContaining({ url: `/chat/${roomId}`, count: 1 }) }),
  ]);
  await expect.poll(() => lastBadge(page)).toEqual(expect.objectContaining({ count: 1, setBy: 'worker' }));

  await pushed('Bring chalk.', 2);
  await expect.poll(async () => (await shownNotifications(page, tag)).map((n) => `${n.title} | ${n.body}`)).toEqual(['2 new messages from Ana | Ana: Bring chalk.']);
  await expect.poll(() => lastBadge(page)).toEqual(expect.objectContaining({ count: 2, setBy: 'worker' }));

  // The network is gone by the time the user taps: the messages come from what the pushes stored.
  await context.setOffline(true);
  await clickNotification(page, tag);
  await expect.poll(() => context.pages().map((p) => p.url())).toContainEqual(expect.stringMatching(new RegExp(`/chat/${roomId}$`)));
  const opened = context.pages().find((p) => p.url().endsWith(`/chat/${roomId}`))!;
  const log = opened.getByRole('log', { name: 'Messages' });
  await expect(log.getByText('Ropes at nine?')).toBeVisible();
  await expect(log.getByText('Bring chalk.')).toBeVisible();
  await expect.poll(() => shownNotifications(opened, tag)).toEqual([]);
  await context.close();
});
