import { expect, test, type Page } from '@playwright/test';
import { newSignedInUser, waitForServiceWorker } from './fixtures';

/** Issue 13, "Installable and updatable": the install button, the image cache, and kept storage. */

/** Dispatches a `beforeinstallprompt` as Chromium would, with a prompt() that counts its calls. */
async function offerInstall(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const calls = window as unknown as { promptCalls?: number };
    calls.promptCalls ??= 0;
    const event = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
      prompt: () => {
        calls.promptCalls = (calls.promptCalls ?? 0) + 1;
        return Promise.resolve();
      },
      userChoice: Promise.resolve({ outcome: 'dismissed', platform: 'web' }),
    });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });
}

async function expectFits320(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('settings offers "Install Rally" only while the browser does, prompts on click and hides once installed', async ({ browser }) => {
  const { page, context } = await newSignedInUser(browser, 'Ines');
  await page.setViewportSize({ width: 320, height: 568 });
  await page.goto('/settings');
  const install = page.getByRole('button', { name: 'Install Rally' });
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(install).toBeHidden();

  // The app takes the event over, so the browser's own infobar stays away.
  expect(await offerInstall(page)).toBe(true);
  await expect(page.getByRole('heading', { name: 'Install Rally on this device' })).toBeVisible();
  await expect(install).toBeVisible();
  const box = await install.boundingBox();
  expect(box && box.height >= 44 && box.width >= 44).toBe(true);
  await expectFits320(page);

  await install.click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { promptCalls?: number }).promptCalls)).toBe(1);
  // One event, one prompt: the button goes until the browser offers again.
  await expect(install).toBeHidden();

  await offerInstall(page);
  await expect(install).toBeVisible();
  await page.evaluate(() => window.dispatchEvent(new Event('appinstalled')));
  await expect(install).toBeHidden();
  await context.close();
});

test('images the app serves outside the precache are cached by the worker and load offline', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  await waitForServiceWorker(page);
  const loadImage = (src: string) =>
    page.evaluate(
      (url) =>
        new Promise<number>((resolve, reject) => {
          const image = new Image();
          image.onload = () => resolve(image.naturalWidth);
          image.onerror = () => reject(new Error(`image failed: ${url}`));
          image.src = url;
        }),
      src,
    );
  const cachedUrls = () => page.evaluate(async () => (await (await caches.open('rally-images')).keys()).map((request) => new URL(request.url).pathname));

  // Store screenshots stay out of the precache (vite.config.ts), so only the image route keeps them.
  expect(await loadImage('/screenshots/feed-narrow.png')).toBe(390);
  // A precached icon is answered by the precache and not stored twice.
  expect(await loadImage('/icons/icon-192.png')).toBe(192);
  await expect.poll(cachedUrls).toEqual(['/screenshots/feed-narrow.png']);

  // Offline, with the browser's HTTP cache out of the way: only the worker's cache can answer.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await context.setOffline(true);
  await page.reload();
  expect(await loadImage('/screenshots/feed-narrow.png')).toBe(390);
  await context.setOffline(false);
  await context.close();
});

test('after sign-in the device asks once to keep its storage, and settings show what is used', async ({ browser }) => {
  const asked = (page: Page) => page.evaluate(() => localStorage.getItem('rally.storage-persist-asked'));
  const { page, context } = await newSignedInUser(browser, 'Sol');
  // Asked only after the first full sync, never on the sign-in screen before it.
  await expect.poll(() => asked(page)).not.toBeNull();

  await page.setViewportSize({ width: 320, height: 568 });
  await page.goto('/settings');
  const line = page.getByTestId('storage-use');
  await expect(line).toHaveText(/^Storage: [\d.]+ (B|KB|MB|GB) used of [\d.]+ (B|KB|MB|GB|TB) available · kept: (yes|no)$/);
  const used = Number(/Storage: ([\d.]+)/.exec((await line.textContent()) ?? '')?.[1]);
  expect(used).toBeGreaterThan(0);
  // What the line says about keeping is what the browser says.
  const persisted = await page.evaluate(() => navigator.storage.persisted());
  await expect(line).toContainText(`kept: ${persisted ? 'yes' : 'no'}`);
  await expectFits320(page);
  await context.close();
});

test('a visitor who never signs in is not asked to keep storage', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  await waitForServiceWorker(page);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('rally.storage-persist-asked'))).toBeNull();
  await context.close();
});
