import { expect, test } from '@playwright/test';
import { registerApiUser } from './api-client';
import { callDevice, CALL_BROWSER_ARGS, callLines, callStatus, expectMediaFlowing, openDirectConversation } from './call-helpers';
import { checkEverySize, FindingLog, prepareScreensDir } from './layout-check';
import { ServerProcess } from './server-process';

/**
 * The call screen fits every width, light and dark, in each phase a person sees for long (dialing,
 * ringing, and a video call with every control), with the longest names people have. Real media
 * (Chromium's fake camera and microphone) on loopback, on a server of the spec's own.
 */
test.use({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', ...CALL_BROWSER_ARGS] } });

let server: ServerProcess;

test.beforeAll(async () => {
  prepareScreensDir();
  server = await ServerProcess.onFreePort({ env: { CALL_LOOPBACK_ONLY: 'true', CALL_RING_TIMEOUT_MS: '120000' } });
  await server.start();
});

test.afterAll(async () => {
  await server?.dispose();
});

test('the call screen fits every width, light and dark: dialing, ringing, and a video call', async ({ browser }) => {
  test.setTimeout(240_000);
  const caller = await registerApiUser(server.url, 'Bartholomew Wolfeschlegelsteinhausenbergerdorff');
  const callee = await registerApiUser(server.url, 'Yael ישראלי נור الهدى 🌍 Okafor');
  const conversationId = await openDirectConversation(server.url, caller, callee);
  const [callerPage, calleePage] = [await callDevice(browser, server.url, caller), await callDevice(browser, server.url, callee)];
  for (const page of [callerPage, calleePage]) {
    await page.goto(`/chat/${conversationId}`);
    await expect(page.locator('#chat-title')).toBeVisible();
  }
  const log = new FindingLog();

  await callerPage.getByRole('button', { name: /^Video call / }).click();
  await expect(callStatus(callerPage)).toHaveText('Ringing…');
  await checkEverySize(callerPage, log, 'call-dialing', { screenshots: true });
  await expect(callStatus(calleePage)).toHaveText('Incoming video call');
  await checkEverySize(calleePage, log, 'call-ringing', { screenshots: true });

  await calleePage.getByTestId('call-screen').getByRole('button', { name: 'Accept', exact: true }).click();
  await Promise.all([expectMediaFlowing(callerPage, { video: true }), expectMediaFlowing(calleePage, { video: true })]);
  await expect(callerPage.getByTestId('call-quality')).toBeVisible({ timeout: 10_000 });
  await checkEverySize(callerPage, log, 'call-connected', { screenshots: true });
  await checkEverySize(calleePage, log, 'call-connected-callee', { screenshots: false });

  await callerPage.getByTestId('call-screen').getByRole('button', { name: 'End', exact: true }).click();
  await expect(calleePage.getByTestId('call-screen')).toBeHidden({ timeout: 10_000 });
  // The call's line in the chat, under the long names, fits too.
  await expect(callLines(calleePage).last()).toHaveText(/^Video call · \d+:\d\d$/);
  await checkEverySize(calleePage, log, 'chat-with-call-line', { screenshots: true });
  for (const page of [callerPage, calleePage]) await page.context().close();
  expect(log.report(), 'what does not fit (screenshots in test-results/screens/)').toEqual([]);
});
