import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { api, loginApiUser, registerApiUser, type ApiUser } from './api-client';
import { openDirectConversation } from './call-helpers';
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

test('reactions follow their flag: off, a person sees reactions and cannot add one; turned on by an admin, the menu offers them at once', async ({ browser }) => {
  test.setTimeout(120_000);
  // A server without the e2e servers' rollout (playwright.config.ts): chat-reactions is at its default, off.
  const server = await ServerProcess.onFreePort({ env: { FLAGS_TARGETING: '' } });
  await server.start();
  try {
    const [admin, ana, ben] = [await registerApiUser(server.url, 'Admin'), await registerApiUser(server.url, 'Ana'), await registerApiUser(server.url, 'Ben')];
    await server.restart({ ADMIN_USER_IDS: admin.id });
    const adminSession = await loginApiUser(server.url, admin);
    const [anaSession, benSession] = [await loginApiUser(server.url, ana), await loginApiUser(server.url, ben)];
    const chatId = await openDirectConversation(server.url, anaSession, benSession);
    const messageId = randomUUID();
    const mutation = (user: ApiUser, name: string, args: unknown) =>
      api(server.url, user, 'POST', '/api/mutations', { clientId: randomUUID(), mutationId: 1, createdAt: new Date().toISOString(), name, args });
    await mutation(benSession, 'message.send', { id: messageId, conversationId: chatId, body: 'Ropes at nine?', kind: 'text' });
    // Ben's older client reacted through the API: the server takes it whatever the page shows.
    await mutation(benSession, 'message.react', { id: messageId, emoji: '🎉', on: true });

    const context = await browser.newContext({ baseURL: server.url });
    const page = await signedInDevice(context, ana);
    await page.goto(`/chat/${chatId}`);
    const message = page.locator(`[data-message-id="${messageId}"]`);
    const chip = message.locator('[data-testid="reaction"][data-emoji="🎉"]');
    await expect(chip).toHaveAttribute('data-count', '1');
    await expect(message.getByRole('button', { name: /🎉/ })).toHaveCount(0);
    await message.getByTestId('message-actions').click();
    await expect(message.getByRole('menuitem', { name: 'Reply', exact: true })).toBeVisible();
    await expect(message.getByRole('menuitem', { name: 'React', exact: true })).toHaveCount(0);
    await page.keyboard.press('Escape');

    // The administrator rolls reactions out to everyone; Ana's open chat follows within seconds.
    const turnedOnAt = Date.now();
    await api(server.url, adminSession, 'PUT', '/api/admin/flags/chat-reactions', { targeting: { enabled: true } });
    await expect(message.getByRole('button', { name: /🎉 1/ })).toBeVisible({ timeout: 5_000 });
    expect(Date.now() - turnedOnAt).toBeLessThan(5_000);
    await message.getByTestId('message-actions').click();
    await message.getByRole('menuitem', { name: 'React', exact: true }).click();
    await message.getByRole('button', { name: 'React with 👍' }).click();
    await expect(message.locator('[data-testid="reaction"][data-emoji="👍"]')).toHaveAttribute('data-count', '1');
    await context.close();
  } finally {
    await server.dispose();
  }
});
