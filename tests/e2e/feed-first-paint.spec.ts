import { expect, test, type Page } from '@playwright/test';
import { api, registerApiUser } from './api-client';
import { inFuture, newSignedInUser, signInViaForm, waitForServiceWorker } from './fixtures';

/**
 * A start paints the feed as it last showed (src/data/feed-snapshot.ts), before the device's
 * database has opened; what the database holds then replaces it. The copy is the signed-in
 * user's alone: it goes at sign-out, and the next person never sees it, not even for a frame.
 */

const baseUrl = () => test.info().project.use.baseURL ?? '';
const SNAPSHOT_PREFIX = 'rally:feedFirstScreen:';

/** Runs before the page's scripts: every card title ever put in the DOM, in order. */
const recordCards = () => {
  const seen: string[] = [];
  (window as unknown as { cardTitles: string[] }).cardTitles = seen;
  new MutationObserver(() => {
    for (const card of document.querySelectorAll('[data-testid="activity-card"]')) {
      const title = card.getAttribute('aria-label') ?? '';
      if (!seen.includes(title)) seen.push(title);
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label'] });
};

const cardTitles = (page: Page) => page.evaluate(() => (window as unknown as { cardTitles: string[] }).cardTitles);

async function signedInUserId(page: Page): Promise<string> {
  return page.evaluate(() => (JSON.parse(localStorage.getItem('rally:lastUser') ?? 'null') as { id: string }).id);
}

async function snapshotTitles(page: Page, userId: string): Promise<string[] | null> {
  return page.evaluate((key) => {
    const text = localStorage.getItem(key);
    return text === null ? null : (JSON.parse(text) as { items: { title: string }[] }).items.map((item) => item.title);
  }, `${SNAPSHOT_PREFIX}${userId}`);
}

/** Rewrites the stored copy's first title (or its build), as a copy older than the database would be. */
async function tamperWithSnapshot(page: Page, userId: string, change: { title?: string; build?: string }): Promise<void> {
  await page.evaluate(
    ({ key, change }) => {
      const snapshot = JSON.parse(localStorage.getItem(key)!) as { build: string; items: { title: string }[] };
      if (change.title) snapshot.items[0]!.title = change.title;
      if (change.build) snapshot.build = change.build;
      localStorage.setItem(key, JSON.stringify(snapshot));
    },
    { key: `${SNAPSHOT_PREFIX}${userId}`, change },
  );
}

test("a start paints the feed as it last showed, and the device's database replaces it; a copy from another build is not shown", async ({ browser }) => {
  const ana = await newSignedInUser(browser, 'Ana');
  const anaId = await signedInUserId(ana.page);
  const host = await registerApiUser(baseUrl(), 'Helper');
  const title = `Dawn swim ${Date.now()}`;
  await api(baseUrl(), host, 'POST', '/api/activities', { title, startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString() });
  await expect(ana.page.getByTestId('activity-card').filter({ hasText: title })).toBeVisible();
  await waitForServiceWorker(ana.page);
  // Saved once the feed has stopped changing for a moment.
  await expect.poll(() => snapshotTitles(ana.page, anaId)).toContain(title);

  await ana.context.addInitScript(recordCards);
  await tamperWithSnapshot(ana.page, anaId, { title: 'An older copy' });
  await ana.context.setOffline(true);
  await ana.page.reload();
  // The copy is the first paint; the database's row takes its place.
  await expect(ana.page.getByTestId('activity-card').filter({ hasText: title })).toBeVisible();
  await expect(ana.page.getByText('An older copy')).toHaveCount(0);
  expect((await cardTitles(ana.page))[0]).toBe('An older copy');
  // And the copy is brought up to date again.
  await expect.poll(() => snapshotTitles(ana.page, anaId)).toContain(title);

  // A copy another build of Rally wrote may be shaped otherwise: never shown.
  await tamperWithSnapshot(ana.page, anaId, { title: 'From another build', build: 'some-other-build' });
  await ana.page.reload();
  await expect(ana.page.getByTestId('activity-card').filter({ hasText: title })).toBeVisible();
  expect(await cardTitles(ana.page)).not.toContain('From another build');
  await ana.context.close();
});

test("signing out takes the feed's copy with it, and the next person's start never shows it", async ({ browser }) => {
  const ana = await newSignedInUser(browser, 'Ana');
  const anaId = await signedInUserId(ana.page);
  // Private: Ben has no way to see it but from what Ana's copy left behind.
  const title = `Ana's secret ${Date.now()}`;
  await ana.page.getByRole('link', { name: 'New activity' }).click();
  await ana.page.getByLabel('Title').fill(title);
  await ana.page.getByLabel('Private').check();
  await ana.page.getByLabel('Starts').fill(inFuture(30));
  await ana.page.getByRole('button', { name: 'Create activity' }).click();
  await expect(ana.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await ana.page.goto('/');
  await expect.poll(() => snapshotTitles(ana.page, anaId)).toContain(title);

  await ana.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(ana.page).toHaveURL(/\/login/);
  expect(await snapshotTitles(ana.page, anaId)).toBeNull();
  expect(await ana.page.evaluate((prefix) => Object.keys(localStorage).filter((key) => key.startsWith(prefix)), SNAPSHOT_PREFIX)).toEqual([]);

  const ben = await registerApiUser(baseUrl(), 'Ben');
  await ana.context.addInitScript(recordCards);
  await signInViaForm(ana.page, ben.email, ben.password);
  await ana.page.reload();
  await expect(ana.page.getByTestId('connection')).toHaveText(/Online/);
  await expect(ana.page.getByRole('heading', { level: 1, name: "What's happening" })).toBeVisible();
  expect(await cardTitles(ana.page)).not.toContain(title);
  await ana.context.close();
});
