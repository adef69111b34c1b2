import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { ApiUser } from './api-client';

let counter = 0;

export interface SignedInUser {
  context: BrowserContext;
  page: Page;
  displayName: string;
  email: string;
}

/** A fresh browser profile (own cookies, storage and service worker) with a newly registered user. */
export async function newSignedInUser(browser: Browser, displayName: string): Promise<SignedInUser> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const email = `${displayName.toLowerCase()}.${Date.now()}.${++counter}@example.test`;
  await page.goto('/login');
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Display name').fill(displayName);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await expect(page.getByTestId('connection')).toHaveText(/Online/);
  return { context, page, displayName, email };
}

export function inFuture(hours: number): string {
  const date = new Date(Date.now() + hours * 3_600_000);
  date.setMinutes(0, 0, 0);
  // datetime-local wants local time without a zone.
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export async function createActivityViaForm(page: Page, title: string, options: { capacity?: number } = {}): Promise<string> {
  await page.getByRole('link', { name: 'New activity' }).click();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description').fill('Bring water and good shoes.');
  await page.getByLabel('Location').fill('Riverside park');
  await page.getByLabel('Starts').fill(inFuture(30));
  if (options.capacity !== undefined) await page.getByLabel('Capacity').fill(String(options.capacity));
  await page.getByRole('button', { name: 'Create activity' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const match = /\/activities\/([0-9a-f-]{36})/.exec(page.url());
  if (!match?.[1]) throw new Error(`not on an activity page: ${page.url()}`);
  return match[1];
}

export async function signInViaForm(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await expect(page.getByTestId('connection')).toHaveText(/Online/);
}

/** Resolves once a service worker controls the page (it then has the shell precached). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });
}

/** A new page in `context` signed in as `user`, with the service worker in control (the shell precached). */
export async function signedInDevice(context: BrowserContext, user: ApiUser): Promise<Page> {
  const page = await context.newPage();
  await signInViaForm(page, user.email, user.password);
  await waitForServiceWorker(page);
  return page;
}

/**
 * Fires the worker's background-sync event for `userId`'s queue through the DevTools protocol,
 * from a page that is not Rally's (so no Rally page is open).
 */
export async function dispatchOutboxSync(context: BrowserContext, blank: Page, origin: string, userId: string): Promise<void> {
  const session = await context.newCDPSession(blank);
  const registrations = new Map<string, string>();
  session.on('ServiceWorker.workerRegistrationUpdated', (event) => {
    for (const registration of event.registrations) {
      if (!registration.isDeleted && registration.scopeURL.startsWith(origin)) registrations.set(registration.registrationId, registration.scopeURL);
    }
  });
  await session.send('ServiceWorker.enable');
  await expect.poll(() => registrations.size).toBeGreaterThan(0);
  for (const registrationId of registrations.keys()) {
    await session.send('ServiceWorker.dispatchSyncEvent', {
      origin,
      registrationId,
      tag: `workbox-background-sync:rally-mutations:${userId}`,
      lastChance: false,
    });
  }
  await session.detach();
}
