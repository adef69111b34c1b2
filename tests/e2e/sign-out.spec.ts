import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { newSignedInUser, signInViaForm, waitForServiceWorker } from './fixtures';

/**
 * Sign-out holds on a shared phone, whatever the network: the device forgets the session at once
 * and never restores it from the cookie, and the server ends it as soon as it can be reached.
 */

const baseUrl = () => test.info().project.use.baseURL ?? '';

async function refreshCookieOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === 'rally_refresh');
  if (!cookie) throw new Error('no refresh cookie in the browser');
  return `${cookie.name}=${cookie.value}`;
}

/** One refresh with a copy of the old cookie, from outside the browser: what a thief would try. */
async function refreshStatus(cookie: string): Promise<number> {
  const response = await fetch(`${baseUrl()}/api/auth/refresh`, { method: 'POST', headers: { cookie } });
  return response.status;
}

async function expectSignInScreen(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
}

/** Requests held in the worker's sign-out queue, read from a same-origin page that runs no Rally code. */
async function queuedSignOuts(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('workbox-background-sync');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('requests')) return resolve(0);
          const all = db.transaction('requests').objectStore('requests').getAll();
          all.onsuccess = () => resolve((all.result as { queueName: string }[]).filter((e) => e.queueName === 'rally-sign-outs').length);
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

test('an offline sign-out holds: back online and reloaded, the sign-in screen, and the old session is ended within seconds', async ({ browser }) => {
  const sol = await newSignedInUser(browser, 'Sol');
  await waitForServiceWorker(sol.page);
  const oldCookie = await refreshCookieOf(sol.context);

  await sol.context.setOffline(true);
  await sol.page.getByRole('button', { name: 'Sign out' }).click();
  await expectSignInScreen(sol.page);
  // Still offline, a reload opens the sign-in screen, not Sol's feed from the device.
  await sol.page.reload();
  await expectSignInScreen(sol.page);

  // The network returns, but the sign-out cannot reach the server yet (refused at the edge, for
  // the page and its worker alike): the cookie is still alive, and still restores nobody.
  await sol.context.route('**/api/auth/logout', (route) => route.abort('connectionrefused'));
  await sol.context.setOffline(false);
  await sol.page.reload();
  await expectSignInScreen(sol.page);
  await sol.page.waitForTimeout(1_500);
  await expectSignInScreen(sol.page);
  expect(await sol.page.evaluate(() => localStorage.getItem('rally:pendingSignOuts'))).not.toBeNull();

  // Now it can: the next visit ends the session on the server within seconds.
  await sol.context.unroute('**/api/auth/logout');
  const back = Date.now();
  await sol.page.reload();
  await expectSignInScreen(sol.page);
  await expect
    .poll(() => sol.page.evaluate(() => localStorage.getItem('rally:pendingSignOuts')), { timeout: 5_000 })
    .toBeNull();
  expect(await refreshStatus(oldCookie)).toBe(401);
  expect(Date.now() - back).toBeLessThan(10_000);

  // Someone else signs in on the same browser; their session works and outlives reloads.
  const other = await newSignedInUser(browser, 'Tia');
  await other.context.close();
  await signInViaForm(sol.page, other.email, 'correct horse battery');
  await sol.page.reload();
  await expect(sol.page.getByTestId('connection')).toHaveText(/Online/);
  await expect(sol.page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await sol.context.close();
});

test('with no page open, the service worker ends a session signed out offline once the network returns', async ({ browser }) => {
  const uma = await newSignedInUser(browser, 'Uma');
  await waitForServiceWorker(uma.page);
  const oldCookie = await refreshCookieOf(uma.context);

  await uma.context.setOffline(true);
  await uma.page.getByRole('button', { name: 'Sign out' }).click();
  await expectSignInScreen(uma.page);
  // The worker kept the refused request.
  await expect.poll(() => queuedSignOuts(uma.page)).toBe(1);
  // No Rally page stays open: the tab shows a blank page, and later a same-origin JSON document
  // (no Rally code runs there) to read the worker's queue.
  await uma.page.goto('about:blank');
  await uma.context.setOffline(false);

  // Chromium fires the sync itself when the network returns; fire it too, as its next retry would.
  const cdp = await uma.context.newCDPSession(uma.page);
  const registrations = new Set<string>();
  cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => {
    for (const registration of event.registrations) if (!registration.isDeleted) registrations.add(registration.registrationId);
  });
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => registrations.size).toBeGreaterThan(0);
  for (const registrationId of registrations) {
    await cdp.send('ServiceWorker.dispatchSyncEvent', {
      origin: new URL(baseUrl()).origin,
      registrationId,
      tag: 'workbox-background-sync:rally-sign-outs',
      lastChance: false,
    });
  }
  await uma.page.goto('/api/ready');
  await expect.poll(() => queuedSignOuts(uma.page), { timeout: 5_000 }).toBe(0);
  expect(await refreshStatus(oldCookie)).toBe(401);
  await uma.context.close();
});

test('signing out in one tab signs out every tab of the browser', async ({ browser }) => {
  const vic = await newSignedInUser(browser, 'Vic');
  const second = await vic.context.newPage();
  await second.goto('/');
  await expect(second.getByRole('button', { name: 'Sign out' })).toBeVisible();

  await vic.page.getByRole('button', { name: 'Sign out' }).click();
  await expectSignInScreen(vic.page);
  await expectSignInScreen(second);
  await second.reload();
  await expectSignInScreen(second);
  await vic.context.close();
});
