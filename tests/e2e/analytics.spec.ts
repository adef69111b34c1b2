import { readFile } from 'node:fs/promises';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { AnalyticsDashboard } from '../../protocol';
import { api, loginApiUser, registerApiUser, type ApiUser } from './api-client';
import { signedInDevice } from './fixtures';
import { checkEverySize, FindingLog, prepareScreensDir } from './layout-check';
import { readAnalyticsEvents } from './server-records';
import { ServerProcess } from './server-process';

/**
 * First-party analytics end to end: events wait in the device's own queue while offline (through
 * a reload) and arrive exactly once when the network returns; with the switch in Settings off,
 * nothing leaves the device and what was queued is dropped. Events are recorded through the
 * engine's loopback-only test hook, as a screen's `track` call would.
 */

interface AnalyticsTestHooks {
  recordEvent(event: { kind: 'track'; name: string; props: Record<string, unknown> }, at: Date): void;
  queued(): Promise<number>;
  sendQueued(): Promise<void>;
}

async function trackInPage(page: Page, name: string, count: number): Promise<void> {
  await page.waitForFunction(() => 'rallyAnalyticsTestHooks' in window);
  await page.evaluate(
    ({ name, count }) => {
      const hooks = (window as unknown as { rallyAnalyticsTestHooks: AnalyticsTestHooks }).rallyAnalyticsTestHooks;
      for (let i = 0; i < count; i++) hooks.recordEvent({ kind: 'track', name, props: { i } }, new Date());
    },
    { name, count },
  );
}

const queuedOnDevice = (page: Page) =>
  page.evaluate(async () => {
    const hooks = (window as unknown as { rallyAnalyticsTestHooks?: AnalyticsTestHooks }).rallyAnalyticsTestHooks;
    return hooks ? hooks.queued() : -1;
  });

/** Every POST to the analytics endpoint, from the page or its worker. */
function watchAnalyticsRequests(context: BrowserContext): string[] {
  const seen: string[] = [];
  context.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/analytics/events') seen.push(request.postData() ?? '');
  });
  return seen;
}

test.describe('analytics', () => {
  let server: ServerProcess;

  /** A new user signed in on a fresh device whose first events (the screen views of signing in) went out. */
  async function deviceWithEmptyQueue(browser: Browser, name: string): Promise<{ user: ApiUser; context: BrowserContext; page: Page }> {
    const user = await registerApiUser(server.url, name);
    const context = await browser.newContext({ baseURL: server.url });
    const page = await signedInDevice(context, user);
    await expect.poll(() => queuedOnDevice(page), { timeout: 15_000 }).toBe(0);
    return { user, context, page };
  }

  test.beforeAll(async () => {
    // The full-queue test sends 5,000 events at once: above the per-user minute's 3,000.
    server = await ServerProcess.onFreePort({ env: { USER_ANALYTICS_EVENTS_PER_MINUTE: '100000' } });
    await server.start();
  });
  test.afterAll(async () => server.dispose());

  test('300 events tracked offline arrive exactly once after reconnect', async ({ browser }) => {
    test.setTimeout(90_000);
    const { user: ana, context, page } = await deviceWithEmptyQueue(browser, 'Ana');
    expect(readAnalyticsEvents(server.dataDir, ana.id).some((event) => event.kind === 'screen')).toBe(true);

    await context.setOffline(true);
    await trackInPage(page, 'e2e.offline', 300);
    await expect.poll(() => queuedOnDevice(page)).toBeGreaterThanOrEqual(300);
    await page.waitForTimeout(1_500);
    expect(readAnalyticsEvents(server.dataDir, ana.id).filter((event) => event.name === 'e2e.offline')).toHaveLength(0);

    // The queue is on the device, not in the page: a reload while offline keeps it.
    await page.reload();
    await expect(page.getByTestId('connection')).toHaveText(/Offline/);
    await expect.poll(() => queuedOnDevice(page)).toBeGreaterThanOrEqual(300);

    await context.setOffline(false);
    await expect.poll(() => readAnalyticsEvents(server.dataDir, ana.id).filter((event) => event.name === 'e2e.offline').length, { timeout: 30_000 }).toBe(300);
    await expect.poll(() => queuedOnDevice(page), { timeout: 15_000 }).toBe(0);
    // Nothing more comes later (a resend would be a second row only if it were a new event).
    await page.waitForTimeout(2_000);
    const arrived = readAnalyticsEvents(server.dataDir, ana.id).filter((event) => event.name === 'e2e.offline');
    expect(arrived).toHaveLength(300);
    expect(new Set(arrived.map((event) => event.id)).size).toBe(300);
    expect(arrived.map((event) => event.props.i).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 300 }, (_, i) => i));
    await context.close();
  });

  test('a full queue keeps the newest 5,000 events, dropping the oldest, and sends each kept one once', async ({ browser }) => {
    test.setTimeout(120_000);
    const { user: dana, context, page } = await deviceWithEmptyQueue(browser, 'Dana');
    await context.setOffline(true);
    // 4,990 first, queued as rows of 100; then 60 more: the oldest 50 go, half of the first row.
    await trackInPage(page, 'e2e.full', 4_990);
    await expect.poll(() => queuedOnDevice(page), { timeout: 30_000 }).toBe(4_990);
    await page.evaluate(() => {
      const hooks = (window as unknown as { rallyAnalyticsTestHooks: AnalyticsTestHooks }).rallyAnalyticsTestHooks;
      for (let i = 4_990; i < 5_050; i++) hooks.recordEvent({ kind: 'track', name: 'e2e.full', props: { i } }, new Date());
    });
    await expect.poll(() => queuedOnDevice(page), { timeout: 30_000 }).toBe(5_000);

    await context.setOffline(false);
    await page.evaluate(async () => (window as unknown as { rallyAnalyticsTestHooks: AnalyticsTestHooks }).rallyAnalyticsTestHooks.sendQueued());
    await expect.poll(() => readAnalyticsEvents(server.dataDir, dana.id).filter((event) => event.name === 'e2e.full').length, { timeout: 60_000 }).toBe(5_000);
    await expect.poll(() => queuedOnDevice(page), { timeout: 15_000 }).toBe(0);
    const kept = readAnalyticsEvents(server.dataDir, dana.id).filter((event) => event.name === 'e2e.full').map((event) => Number(event.props.i));
    expect(kept.sort((a, b) => a - b)).toEqual(Array.from({ length: 5_000 }, (_, i) => 50 + i));
    await context.close();
  });

  test('events a page could not send go out through the service worker once the page is closed', async ({ browser }) => {
    test.setTimeout(60_000);
    const { user: cleo, context, page } = await deviceWithEmptyQueue(browser, 'Cleo');
    // The page's own sends fail from now on (page.route does not reach its worker's requests).
    await page.route('**/api/analytics/events', (route) => route.abort());
    await trackInPage(page, 'e2e.closing', 40);
    await expect.poll(() => queuedOnDevice(page)).toBe(40);
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => readAnalyticsEvents(server.dataDir, cleo.id).filter((event) => event.name === 'e2e.closing').length, { timeout: 15_000 }).toBe(40);
    await context.close();
  });

  test('an error thrown in a screen shows up in the dashboard’s error list, with its stack and screen', async ({ browser }) => {
    test.setTimeout(90_000);
    const admin = await registerApiUser(server.url, 'Admin');
    await server.restart({ ADMIN_USER_IDS: admin.id });
    const { context, page } = await deviceWithEmptyQueue(browser, 'Dana');
    await page.goto('/settings');
    // Thrown once the screen is up, as a person's tap would be (not while its chunk still loads).
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    await page.evaluate(() => {
      setTimeout(function settingsHandler() {
        throw new RangeError('the settings screen fell over');
      });
    });
    await expect.poll(() => queuedOnDevice(page)).toBe(0);
    const adminSession = await loginApiUser(server.url, admin);
    await expect
      .poll(async () => (await api<AnalyticsDashboard>(server.url, adminSession, 'GET', '/api/admin/analytics?days=1')).errors, { timeout: 15_000 })
      .toContainEqual(
        expect.objectContaining({ message: 'RangeError: the settings screen fell over', screen: '/settings', stack: expect.stringContaining('settingsHandler') }),
      );
    // Dana's page read the flags: her exposure to each variant reached the A/B view.
    await expect
      .poll(async () => (await api<AnalyticsDashboard>(server.url, adminSession, 'GET', '/api/admin/analytics?days=1')).experiments.map((row) => row.flag), { timeout: 15_000 })
      .toContain('websocket-enabled');
    await context.close();

    // The administrator reads it on the dashboard screen, and takes it away as CSV.
    const adminContext = await browser.newContext({ baseURL: server.url });
    const adminPage = await signedInDevice(adminContext, admin);
    await adminPage.goto('/settings');
    await adminPage.getByRole('link', { name: 'Analytics' }).click();
    await expect(adminPage.getByRole('heading', { level: 1, name: 'Analytics' })).toBeVisible();
    const error = adminPage.getByTestId('analytics-error').filter({ hasText: 'RangeError: the settings screen fell over' });
    await expect(error).toContainText('/settings');
    await error.locator('summary').click();
    await expect(error.locator('pre')).toContainText('settingsHandler');
    await expect(adminPage.getByTestId('analytics-experiment').filter({ hasText: 'websocket-enabled' }).getByTestId('analytics-variant')).not.toHaveCount(0);
    await expect(adminPage.getByTestId('analytics-funnel')).toContainText('Signed up');
    await expect(adminPage.locator('.admin-chart-plot canvas')).toHaveCount(2);
    const [download] = await Promise.all([adminPage.waitForEvent('download'), adminPage.getByRole('button', { name: 'Download CSV of errors' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^rally-errors-.*\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('message,count,users,last seen,screen,stack');
    expect(csv).toContain('RangeError: the settings screen fell over');

    // The dashboard fits phones, light and dark, with an error's stack open.
    prepareScreensDir();
    const layout = new FindingLog();
    await checkEverySize(adminPage, layout, 'admin-analytics', { screenshots: true });
    expect(layout.report(), 'what does not fit (screenshots in test-results/screens/)').toEqual([]);
    await adminContext.close();
  });

  test('opt-out sends nothing, and drops what was queued', async ({ browser }) => {
    test.setTimeout(90_000);
    const { user: ben, context, page } = await deviceWithEmptyQueue(browser, 'Ben');
    await page.goto('/settings');
    // The settings screen's view has gone out too (events go once none came for 2 s).
    await expect.poll(() => readAnalyticsEvents(server.dataDir, ben.id).some((event) => event.screen === '/settings'), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => queuedOnDevice(page), { timeout: 15_000 }).toBe(0);
    const storedBefore = readAnalyticsEvents(server.dataDir, ben.id).length;
    expect(storedBefore).toBeGreaterThan(0);

    // Queued offline, then switched off: the queue is emptied.
    await context.setOffline(true);
    await trackInPage(page, 'e2e.before-opt-out', 5);
    await expect.poll(() => queuedOnDevice(page)).toBe(5);
    const requests = watchAnalyticsRequests(context);
    await page.getByRole('switch', { name: 'Share usage statistics' }).uncheck();
    await expect(page.getByTestId('analytics-state')).toHaveAttribute('data-state', 'off');
    await expect.poll(() => queuedOnDevice(page)).toBe(0);
    await context.setOffline(false);

    // Whatever happens now stays on the device: screens, tracked events, a thrown error, a reload, leaving.
    await trackInPage(page, 'e2e.after-opt-out', 5);
    await page.evaluate(() => setTimeout(() => { throw new Error('thrown while opted out'); }));
    await page.getByRole('link', { name: /chats/i }).first().click();
    await page.goto('/');
    await page.reload();
    await expect(page.getByTestId('connection')).toHaveText(/Online/);
    await page.goto('/settings');
    await expect(page.getByRole('switch', { name: 'Share usage statistics' })).not.toBeChecked();
    await page.evaluate(async () => (window as unknown as { rallyAnalyticsTestHooks?: AnalyticsTestHooks }).rallyAnalyticsTestHooks?.sendQueued());
    await page.waitForTimeout(2_500);
    expect(await queuedOnDevice(page)).toBeLessThanOrEqual(0);
    expect(requests).toEqual([]);
    expect(readAnalyticsEvents(server.dataDir, ben.id)).toHaveLength(storedBefore);
    await context.close();
  });
});
