import { expect, test } from '@playwright/test';
import { api, loginApiUser, registerApiUser } from './api-client';
import { signedInDevice } from './fixtures';
import { checkEverySize, FindingLog, prepareScreensDir } from './layout-check';
import { ServerProcess } from './server-process';

/**
 * Feature flags end to end: the page evaluates them through OpenFeature's OFREP provider against
 * Rally's server, an administrator's change reaches a connected page at once, and the last known
 * values hold offline. `websocket-enabled` is the flag with a visible effect today: off, the live
 * connection uses long-polling only (Settings says which).
 */
test('an admin turning WebSocket off on the admin screen reaches a connected page at once, and the choice holds offline and after a reload', async ({ browser }) => {
  test.setTimeout(240_000);
  const server = await ServerProcess.onFreePort();
  await server.start();
  try {
    const [admin, ana] = [await registerApiUser(server.url, 'Admin'), await registerApiUser(server.url, 'Ana')];
    await server.restart({ ADMIN_USER_IDS: admin.id });

    const context = await browser.newContext({ baseURL: server.url });
    const page = await signedInDevice(context, ana);
    await page.goto('/settings');
    await expect(page.getByTestId('live-transport')).toHaveText('Live updates: WebSocket', { timeout: 15_000 });

    // Ana is no administrator: no way to the flags from Settings, and the screen says why.
    await expect(page.getByRole('link', { name: 'Feature flags' })).toHaveCount(0);
    await page.goto('/admin/flags');
    await expect(page.getByText('Only administrators can change feature flags')).toBeVisible();
    await page.goto('/settings');
    await expect(page.getByTestId('live-transport')).toHaveText('Live updates: WebSocket', { timeout: 15_000 });

    // The administrator turns WebSocket off on the admin screen, from Settings.
    const adminContext = await browser.newContext({ baseURL: server.url });
    const adminPage = await signedInDevice(adminContext, admin);
    await adminPage.goto('/settings');
    await adminPage.getByRole('link', { name: 'Feature flags' }).click();
    const card = adminPage.getByTestId('admin-flag').filter({ has: adminPage.getByRole('heading', { name: 'websocket-enabled' }) });
    await card.getByRole('switch', { name: 'On' }).check();
    await expect(card.getByLabel('Value when on')).toHaveValue('false');
    // A wrong value is named before anything is sent.
    await card.getByLabel('Share of people (%)').fill('120');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect(card.getByText('Must be from 0 to 100')).toBeVisible();
    await card.getByLabel('Share of people (%)').fill('100');

    // The server's flags:changed event makes the provider evaluate again within moments.
    const reevaluated = page.waitForRequest((request) => new URL(request.url()).pathname === '/ofrep/v1/evaluate/flags', { timeout: 2_000 });
    await card.getByRole('button', { name: 'Save' }).click();
    await expect(card.getByRole('status')).toHaveText(/Saved/);
    await reevaluated;

    // The admin screen fits phones too, with an A/B variant open.
    await card.getByRole('button', { name: 'Add variant' }).click();
    prepareScreensDir();
    const layout = new FindingLog();
    await checkEverySize(adminPage, layout, 'admin-flags', { screenshots: true });
    expect(layout.report(), 'what does not fit (screenshots in test-results/screens/)').toEqual([]);
    await adminContext.close();
    const adminSession = await loginApiUser(server.url, admin);
    // Then the connection is dropped and comes back without WebSocket (one reconnection delay).
    await expect(page.getByTestId('live-transport')).toHaveText('Live updates: long-polling', { timeout: 10_000 });

    // A cold start offline keeps the last known choice; back online, no WebSocket is tried.
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId('live-transport')).toHaveText('Live updates: not connected');
    const webSocketsOpened: string[] = [];
    page.on('websocket', (socket) => webSocketsOpened.push(socket.url()));
    await context.setOffline(false);
    await expect(page.getByTestId('live-transport')).toHaveText('Live updates: long-polling', { timeout: 15_000 });
    await page.waitForTimeout(1_000);
    expect(webSocketsOpened).toEqual([]);

    // Turned back on, it upgrades again.
    await api(server.url, adminSession, 'PUT', '/api/admin/flags/websocket-enabled', { targeting: { enabled: false } });
    await expect(page.getByTestId('live-transport')).toHaveText('Live updates: WebSocket', { timeout: 15_000 });
    await context.close();
  } finally {
    await server.dispose();
  }
});
