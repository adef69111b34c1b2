import { expect, test, type Page } from '@playwright/test';
import { PushPayload } from '../../protocol';
import { startPushService, type PushServiceStandIn, type TestSubscription } from '../support/push-service';
import { pushServiceTrust } from '../support/rally-process';
import { registerApiUser, type ApiUser } from './api-client';
import { callDevice, CALL_BROWSER_ARGS, callLines, callStatus, expectMediaFlowing, openDirectConversation } from './call-helpers';
import { clickNotification, flipNotifications, rawPushDelivery, shownNotifications, stubPushSubscribeAs, waitForOpenSockets } from './push-helpers';
import { ServerProcess } from './server-process';

/**
 * Issue 14: a callee with Rally closed. The server's own push (real Web Push, decrypted by a local
 * push service: tests/support/push-service.ts) reaches Ben's worker, which shows a ringing
 * notification with Accept and Decline. Headless Chromium cannot tap a notification, so the
 * worker's own click handler runs through its loopback-only test hook (sw/test-hooks.ts).
 */
test.use({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', ...CALL_BROWSER_ARGS] } });
test.describe.configure({ mode: 'serial' });

let standIn: PushServiceStandIn;
let server: ServerProcess;
let ana: ApiUser;
let ben: ApiUser;
let anaBen: string;
let anaPage: Page;
let benPhone: Page;
let phone: TestSubscription;
let deliver: (text: string) => Promise<void>;
const METRICS_TOKEN = 'calls-push-metrics-token';

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  standIn = await startPushService();
  server = await ServerProcess.onFreePort({ env: { ...pushServiceTrust(standIn), PUSH_POLL_INTERVAL_MS: '200', CALL_LOOPBACK_ONLY: 'true', CALL_RING_TIMEOUT_MS: '25000', METRICS_TOKEN } });
  await server.start();
  [ana, ben] = [await registerApiUser(server.url, 'Ana'), await registerApiUser(server.url, 'Ben')];
  anaBen = await openDirectConversation(server.url, ana, ben);
  phone = standIn.subscribe();
  anaPage = await callDevice(browser, server.url, ana);
  benPhone = await callDevice(browser, server.url, ben, async (context) => {
    await context.grantPermissions(['notifications'], { origin: server.url });
    await context.addInitScript(stubPushSubscribeAs, phone.subscription);
  });
  // The real settings switch registers Ben's phone for push.
  await benPhone.goto('/settings');
  await flipNotifications(benPhone, 'on');
  await anaPage.goto(`/chat/${anaBen}`);
  await expect(anaPage.locator('#chat-title')).toBeVisible();
});

test.afterAll(async () => {
  for (const page of [anaPage, benPhone]) await page?.context().close();
  await server?.dispose();
  await standIn?.close();
});

/**
 * Ben puts his phone away: Rally closed (a document the worker does not serve), so no live socket.
 * Only Ana's is left once the server has heard his close: before then it rings his socket, not his phone.
 */
async function closeRally(page: Page): Promise<void> {
  await page.goto('/api/ready');
  await waitForOpenSockets(server.url, METRICS_TOKEN, 1);
  deliver ??= await rawPushDelivery(page.context(), page);
}

/** Ana calls; the push for Ben's phone reaches its worker. The payload, as the server built it. */
async function callRingsThePhone(pushCount: number): Promise<PushPayload> {
  await anaPage.getByRole('button', { name: 'Voice call Ben' }).click();
  await expect(callStatus(anaPage)).toHaveText(/Calling…/);
  const received = await standIn.waitForDelivered(pushCount, 15_000, phone.id);
  expect(received).toHaveLength(pushCount);
  const push = received.at(-1)!;
  expect(push.urgency).toBe('high');
  await deliver(push.text!);
  return PushPayload.parse(push.payload);
}

async function callNotifications(page: Page, tag: string) {
  return (await shownNotifications(page, tag)).map(({ title, body, actions, requireInteraction }) => ({ title, body, actions, requireInteraction }));
}

test('Accept on the ringing notification opens the chat and connects the call', async () => {
  await closeRally(benPhone);
  const ringing = await callRingsThePhone(1);
  expect(ringing).toMatchObject({ kind: 'call', userId: ben.id, call: { call: { state: 'ringing', callerName: 'Ana' } } });
  const tag = ringing.tag;
  await expect.poll(() => callNotifications(benPhone, tag)).toEqual([{ title: 'Ana', body: 'Incoming voice call', actions: ['call-accept', 'call-decline'], requireInteraction: true }]);

  await clickNotification(benPhone, tag, 'call-accept');
  await expect.poll(() => benPhone.context().pages().map((p) => new URL(p.url()).pathname)).toContain(`/chat/${anaBen}`);
  const opened = benPhone.context().pages().find((p) => new URL(p.url()).pathname === `/chat/${anaBen}`)!;
  // Answered without a second tap; the address no longer says to answer (a reload answers nothing).
  await Promise.all([expectMediaFlowing(anaPage, { connectMs: 30_000 }), expectMediaFlowing(opened, { connectMs: 30_000 })]);
  expect(new URL(opened.url()).search).toBe('');
  await expect(callStatus(anaPage)).not.toHaveText(/Calling|Ringing/);
  await expect.poll(() => callNotifications(opened, tag)).toEqual([]);

  await anaPage.getByTestId('call-screen').getByRole('button', { name: 'End', exact: true }).click();
  await expect(callLines(opened).last()).toHaveText(/^Voice call · 0:\d\d$/, { timeout: 10_000 });
  if (opened !== benPhone) await opened.close();
  benPhone = benPhone.context().pages()[0]!;
});

test('Decline on the ringing notification ends the call for the caller, and the notification says so', async () => {
  await expect(anaPage.getByTestId('call-screen')).toBeHidden({ timeout: 10_000 });
  await closeRally(benPhone);
  // The answered call pushed nothing after its ring: this is the second push.
  const ringing = await callRingsThePhone(2);
  const tag = ringing.tag;
  await expect.poll(() => callNotifications(benPhone, tag)).toHaveLength(1);

  await clickNotification(benPhone, tag, 'call-decline');
  await expect(callStatus(anaPage)).toHaveText('Call declined');
  await expect(callLines(anaPage).last()).toHaveText('Declined voice call');
  // Nothing opened; the server's push of the end replaces the ringing notification, quietly.
  expect(benPhone.context().pages().map((p) => new URL(p.url()).pathname)).toEqual(['/api/ready']);
  const [, , ended] = await standIn.waitForDelivered(3, 15_000, phone.id);
  await deliver(ended!.text!);
  await expect.poll(() => callNotifications(benPhone, tag)).toEqual([{ title: 'Ana', body: 'Declined voice call', actions: [], requireInteraction: false }]);
});
