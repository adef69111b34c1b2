import { expect, test } from '@playwright/test';
import { newSignedInUser } from './fixtures';

test('after one online visit the app shell opens with the network off', async ({ browser }) => {
  const dee = await newSignedInUser(browser, 'Dee');
  const { page, context } = dee;
  // Wait until the service worker controls the page and has precached the shell.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText(/Offline/);
  await expect(page.getByRole('link', { name: 'New activity' })).toBeVisible();

  // A deep link opens offline too: the worker answers navigations with the cached shell.
  await page.goto('/profile/00000000-0000-4000-8000-000000000000');
  await expect(page.getByTestId('connection')).toHaveText(/Offline/);

  await context.setOffline(false);
  await context.close();
});

test('screens never visited open offline: their lazy chunks are in the precache', async ({ browser }) => {
  const eli = await newSignedInUser(browser, 'Eli');
  const { page, context } = eli;
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });
  // Only the feed has been shown: every other screen's code is still unfetched by this page.
  const fetchedScripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') fetchedScripts.push(new URL(request.url()).pathname);
  });

  await context.setOffline(true);
  for (const [path, heading] of [
    ['/settings', 'Settings'],
    ['/outbox', 'Outbox'],
    ['/activities/new', 'New activity'],
    ['/chat', 'Chats'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  }
  // The screens came from their own chunks (answered by the worker), not from the entry.
  expect(fetchedScripts.some((script) => /\/assets\/SettingsScreen-/.test(script))).toBe(true);

  await context.setOffline(false);
  await context.close();
});
