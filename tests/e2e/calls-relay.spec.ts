import { expect, test, type Page } from '@playwright/test';
import { registerApiUser } from './api-client';
import { callDevice, CALL_BROWSER_ARGS, callStatus, expectMediaFlowing, mediaFigures, openDirectConversation } from './call-helpers';
import { ServerProcess } from './server-process';
import { TurnServer } from './turn-server';

/**
 * Relay only: Rally hands out a real coturn on loopback with credentials minted from its shared
 * secret, and pages may use nothing but relay candidates. The call connects and media flows
 * through TURN.
 */
test.use({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', ...CALL_BROWSER_ARGS] } });

let turn: TurnServer;
let server: ServerProcess;
const pages: Page[] = [];

test.beforeAll(async () => {
  turn = await TurnServer.start();
  server = await ServerProcess.onFreePort({
    env: { ICE_SERVERS: turn.url, TURN_SECRET: turn.secret, CALL_ICE_TRANSPORT_POLICY: 'relay', CALL_LOOPBACK_ONLY: 'true' },
  });
  await server.start();
});

test.afterAll(async () => {
  for (const page of pages) await page.context().close();
  await server?.dispose();
  await turn?.stop();
});

test('a relay-only call connects through coturn and media flows both ways', async ({ browser }) => {
  test.setTimeout(120_000);
  const [ana, ben] = [await registerApiUser(server.url, 'Ana'), await registerApiUser(server.url, 'Ben')];
  const conversationId = await openDirectConversation(server.url, ana, ben);
  const [anaPage, benPage] = [await callDevice(browser, server.url, ana), await callDevice(browser, server.url, ben)];
  pages.push(anaPage, benPage);
  for (const page of [anaPage, benPage]) await page.goto(`/chat/${conversationId}`);

  await anaPage.getByRole('button', { name: 'Voice call Ben' }).click();
  await expect(callStatus(benPage)).toHaveText('Incoming voice call');
  await benPage.getByTestId('call-screen').getByRole('button', { name: 'Accept', exact: true }).click();
  // A relay pair is checked after the host pairs (none here) time out of the list: allow longer.
  await Promise.all([expectMediaFlowing(anaPage, { connectMs: 45_000 }), expectMediaFlowing(benPage, { connectMs: 45_000 })]);
  for (const page of [anaPage, benPage]) {
    const figures = await mediaFigures(page);
    expect(figures.localCandidateType, 'the selected pair goes through TURN').toBe('relay');
    expect(figures.localAddress).toBe('127.0.0.1');
  }
  await anaPage.getByTestId('call-screen').getByRole('button', { name: 'End', exact: true }).click();
  await expect(callStatus(benPage)).toHaveText('Call ended');
});
