import { expect, test, type Page } from '@playwright/test';
import { registerApiUser, type ApiUser } from './api-client';
import { callDevice, CALL_BROWSER_ARGS, callLines, callStatus, expectMediaFlowing, mediaFigures, openDirectConversation } from './call-helpers';
import { ServerProcess } from './server-process';

/**
 * One-to-one calls with real media: Chromium's fake camera and microphone, peer connections kept
 * to loopback by the server's setting, a server of the spec's own (short ring timeout), and one
 * browser context per device.
 */
test.use({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', ...CALL_BROWSER_ARGS] } });
test.describe.configure({ mode: 'serial' });

let server: ServerProcess;
let ana: ApiUser;
let ben: ApiUser;
let cleo: ApiUser;
let anaBen: string;
let anaPage: Page;
let benPage: Page;
let benTablet: Page;
let cleoPage: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  server = await ServerProcess.onFreePort({ env: { CALL_LOOPBACK_ONLY: 'true', CALL_RING_TIMEOUT_MS: '12000', CALL_REJOIN_HOLD_MS: '20000' } });
  await server.start();
  [ana, ben, cleo] = [await registerApiUser(server.url, 'Ana'), await registerApiUser(server.url, 'Ben'), await registerApiUser(server.url, 'Cleo')];
  anaBen = await openDirectConversation(server.url, ana, ben);
  await openDirectConversation(server.url, cleo, ben);
  anaPage = await callDevice(browser, server.url, ana);
  benPage = await callDevice(browser, server.url, ben);
  benTablet = await callDevice(browser, server.url, ben);
  cleoPage = await callDevice(browser, server.url, cleo);
});

test.afterAll(async () => {
  for (const page of [anaPage, benPage, benTablet, cleoPage]) await page?.context().close();
  await server?.dispose();
});

function inCall(page: Page) {
  return page.getByTestId('call-screen');
}

async function openChat(page: Page, conversationId: string) {
  await page.goto(`/chat/${conversationId}`);
  await expect(page.locator('#chat-title')).toBeVisible();
}

async function ring(caller: Page, calleeName: string, kind: 'Voice' | 'Video' = 'Voice') {
  await caller.getByRole('button', { name: `${kind} call ${calleeName}` }).click();
  await expect(callStatus(caller)).toHaveText(/Calling…|Ringing…/);
}

test('A calls B, B answers: media both ways, mute, hang up, and the line in both chats', async () => {
  await Promise.all([openChat(anaPage, anaBen), openChat(benPage, anaBen)]);
  await ring(anaPage, 'Ben', 'Video');
  await expect(callStatus(anaPage)).toHaveText('Ringing…');
  // Every device of Ben rings.
  for (const page of [benPage, benTablet]) await expect(callStatus(page)).toHaveText('Incoming video call');
  await inCall(benPage).getByRole('button', { name: 'Accept', exact: true }).click();
  await expect(callStatus(benTablet)).toHaveText('Answered on another device');
  await Promise.all([expectMediaFlowing(anaPage, { video: true }), expectMediaFlowing(benPage, { video: true })]);
  await expect(anaPage.getByTestId('call-duration')).toHaveText(/^0:0\d$/);
  await expect(anaPage.getByTestId('call-quality')).toBeVisible({ timeout: 10_000 });

  // Muted: Ana's track is disabled and what reaches Ben carries no sound energy any more.
  await inCall(anaPage).getByRole('button', { name: 'Mute', exact: true }).click();
  expect((await mediaFigures(anaPage)).outboundAudioEnabled).toBe(false);
  await benPage.waitForTimeout(1_000);
  const silentFrom = (await mediaFigures(benPage)).inboundAudioEnergy;
  await benPage.waitForTimeout(2_500);
  expect((await mediaFigures(benPage)).inboundAudioEnergy).toBeCloseTo(silentFrom, 6);
  await inCall(anaPage).getByRole('button', { name: 'Unmute', exact: true }).click();
  await expect.poll(async () => (await mediaFigures(benPage)).inboundAudioEnergy, { timeout: 10_000 }).toBeGreaterThan(silentFrom + 1e-6);

  await inCall(anaPage).getByRole('button', { name: 'End', exact: true }).click();
  for (const page of [anaPage, benPage]) {
    await expect(page.getByTestId('call-screen')).toBeHidden({ timeout: 10_000 });
    await expect(callLines(page).last()).toHaveText(/^Video call · 0:\d\d$/);
  }
});

test('B declines: A hears so, and the chat says declined', async () => {
  await ring(anaPage, 'Ben');
  await expect(callStatus(benPage)).toHaveText('Incoming voice call');
  await inCall(benPage).getByRole('button', { name: 'Decline', exact: true }).click();
  await expect(callStatus(anaPage)).toHaveText('Call declined');
  await expect(callStatus(benTablet)).toHaveText('Call declined');
  await expect(callLines(anaPage).last()).toHaveText('Declined voice call');
});

test('A cancels while it rings: every device of B stops ringing', async () => {
  await expect(anaPage.getByTestId('call-screen')).toBeHidden({ timeout: 10_000 });
  await ring(anaPage, 'Ben');
  await expect(callStatus(benTablet)).toHaveText('Incoming voice call');
  await inCall(anaPage).getByRole('button', { name: 'Cancel', exact: true }).click();
  for (const page of [benPage, benTablet]) await expect(callStatus(page)).toHaveText('Call cancelled');
  await expect(callLines(benPage).last()).toHaveText('Cancelled voice call');
});

test('nobody answers: the call ends after the ring timeout and B has a missed call', async () => {
  await expect(anaPage.getByTestId('call-screen')).toBeHidden({ timeout: 10_000 });
  await ring(anaPage, 'Ben');
  await expect(callStatus(anaPage)).toHaveText('No answer', { timeout: 20_000 });
  await expect(callStatus(benPage)).toHaveText('No answer');
  await expect(callLines(benPage).last()).toHaveText('Missed voice call');
});

test('a third caller gets busy while B is on a call', async () => {
  await expect(anaPage.getByTestId('call-screen')).toBeHidden({ timeout: 10_000 });
  await ring(anaPage, 'Ben');
  await inCall(benTablet).getByRole('button', { name: 'Accept', exact: true }).click();
  await expectMediaFlowing(anaPage);
  const cleoBen = await openDirectConversation(server.url, cleo, ben);
  await openChat(cleoPage, cleoBen);
  await cleoPage.getByRole('button', { name: 'Voice call Ben' }).click();
  await expect(callStatus(cleoPage)).toHaveText('Busy on another call');
  await expect(callStatus(benTablet)).not.toHaveText(/Incoming/);

  // Ben (on the tablet that answered) reloads mid-call: connected again within 10 s.
  await benTablet.reload();
  const reloadedAt = Date.now();
  await expect.poll(async () => (await mediaFigures(benTablet)).connectionState, { timeout: 10_000 }).toBe('connected');
  expect(Date.now() - reloadedAt).toBeLessThan(10_000);
  await expectMediaFlowing(anaPage);
  await expectMediaFlowing(benTablet);
  await expect(callStatus(benTablet)).toHaveText(/^\d+:\d\d$/);

  await inCall(benTablet).getByRole('button', { name: 'End', exact: true }).click();
  await expect(anaPage.getByTestId('call-screen')).toBeHidden({ timeout: 10_000 });
});
