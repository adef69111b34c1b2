import { expect, test, type Page } from '@playwright/test';
import { registerApiUser, type ApiUser } from './api-client';
import { callDevice, CALL_BROWSER_ARGS, callLines, callStatus, expectMediaFlowing, openDirectConversation } from './call-helpers';
import { checkEverySize, FindingLog, prepareScreensDir } from './layout-check';
import { ServerProcess } from './server-process';

/**
 * Issue 13's layout walk for the call screen (issue 14): a call between two people with long,
 * mixed-script names, at every width of the walk, light and dark, in each phase a person sees:
 * calling, ringing with Accept and Decline, and connected with video, the self view and every
 * control; then the chat with the call's line. Nothing may stick out sideways and every control
 * must be at least 44×44 px. Screenshots go to test-results/screens/ beside the other screens'.
 */
test.use({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', ...CALL_BROWSER_ARGS] } });

const CALLER_NAME = 'Bartholomew Wolfeschlegelsteinhausenbergerdorff';
const CALLEE_NAME = 'Yael ישראלי נור الهدى 🌍 Okafor';

let server: ServerProcess;
let caller: ApiUser;
let callee: ApiUser;
let conversationId: string;
let callerPage: Page;
let calleePage: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  prepareScreensDir();
  // A long ring, so the ringing screen is still up after every width has been measured.
  server = await ServerProcess.onFreePort({ env: { CALL_LOOPBACK_ONLY: 'true', CALL_RING_TIMEOUT_MS: '60000' } });
  await server.start();
  caller = await registerApiUser(server.url, CALLER_NAME);
  callee = await registerApiUser(server.url, CALLEE_NAME);
  conversationId = await openDirectConversation(server.url, caller, callee);
  callerPage = await callDevice(browser, server.url, caller);
  calleePage = await callDevice(browser, server.url, callee);
});

test.afterAll(async () => {
  for (const page of [callerPage, calleePage]) await page?.context().close();
  await server?.dispose();
});

test('the call screen fits every width, light and dark: calling, ringing, and a video call with its controls', async () => {
  test.setTimeout(240_000);
  const log = new FindingLog();
  for (const page of [callerPage, calleePage]) {
    await page.goto(`/chat/${conversationId}`);
    await expect(page.locator('#chat-title')).toBeVisible();
  }

  await callerPage.getByRole('button', { name: `Video call ${CALLEE_NAME}` }).click();
  await expect(callStatus(calleePage)).toHaveText('Incoming video call');
  await expect(callStatus(callerPage)).toHaveText('Ringing…');
  await checkEverySize(callerPage, log, 'call-calling', { screenshots: true });
  await checkEverySize(calleePage, log, 'call-ringing', { screenshots: true });
  await expect(callStatus(calleePage), 'still ringing after the walk').toHaveText('Incoming video call');

  await calleePage.getByTestId('call-screen').getByRole('button', { name: 'Accept', exact: true }).click();
  await Promise.all([expectMediaFlowing(callerPage, { video: true }), expectMediaFlowing(calleePage, { video: true })]);
  for (const page of [callerPage, calleePage]) {
    await expect(page.getByTestId('call-duration')).toBeVisible();
    await expect(page.getByTestId('call-quality')).toBeVisible({ timeout: 10_000 });
  }
  await checkEverySize(callerPage, log, 'call-connected', { screenshots: true });
  await checkEverySize(calleePage, log, 'call-connected-callee', { screenshots: true });

  // Hung up: both chats show the call's line, and it fits too.
  await callerPage.getByTestId('call-screen').getByRole('button', { name: 'End', exact: true }).click();
  for (const page of [callerPage, calleePage]) {
    await expect(page.getByTestId('call-screen')).toBeHidden({ timeout: 10_000 });
    await expect(callLines(page).last()).toHaveText(/^Video call · \d+:\d\d$/);
  }
  await checkEverySize(calleePage, log, 'chat-with-call-line', { screenshots: true });

  expect(log.report(), 'what does not fit (screenshots in test-results/screens/)').toEqual([]);
});
