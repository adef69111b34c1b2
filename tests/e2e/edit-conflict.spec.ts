import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { api, loginApiUser, registerApiUser, type ApiUser } from './api-client';
import { signedInDevice } from './fixtures';

/**
 * Issue 5, done-when 6, end to end for fail-on-conflict (the default strategy for activities):
 * the same organizer on two devices edits the title of one activity offline; A's edit lands
 * first, B's replay is refused with 409 `conflict`, and B is offered "Keep mine" / "Keep theirs".
 */

const sharedUrl = () => test.info().project.use.baseURL ?? '';

interface ActivityView {
  id: string;
  title: string;
  location: string;
  version: number;
}

async function viewAs(baseUrl: string, user: ApiUser, activityId: string): Promise<ActivityView> {
  const fresh = await loginApiUser(baseUrl, user);
  return api<ActivityView>(baseUrl, fresh, 'GET', `/api/activities/${activityId}`);
}

async function openEditScreen(page: Page, activityId: string, title: string): Promise<void> {
  await page.goto(`/activities/${activityId}/edit`);
  await expect(page.getByRole('heading', { level: 1, name: 'Edit activity' })).toBeVisible();
  await expect(page.getByLabel('Title')).toHaveValue(title);
}

async function saveTitleOffline(page: Page, title: string): Promise<void> {
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId('pending-count')).toHaveText('1 pending');
}

/** Statuses of the answers to mutation requests seen in the context (the worker's replays included). */
function recordMutationStatuses(context: BrowserContext): number[] {
  const statuses: number[] = [];
  context.on('response', (response) => {
    if (new URL(response.url()).pathname === '/api/mutations' && response.request().method() === 'POST') statuses.push(response.status());
  });
  return statuses;
}

/**
 * Both devices edit the title offline; A comes back first, then B. Returns B's page once the
 * server has refused B's edit and B has been told.
 */
async function conflictingOfflineEdits(
  browser: Browser,
  baseUrl: string,
  titles: { original: string; a: string; b: string },
): Promise<{ organizer: ApiUser; activityId: string; pageB: Page; contextA: BrowserContext; contextB: BrowserContext; statusesB: number[] }> {
  const organizer = await registerApiUser(baseUrl, 'Olga');
  const created = await api<{ id: string }>(baseUrl, organizer, 'POST', '/api/activities', {
    title: titles.original,
    location: 'Town square',
    // On a whole hour, as the form's datetime-local field can say it: only the title differs.
    startsAt: new Date(Math.floor(Date.now() / 3_600_000 + 48) * 3_600_000).toISOString(),
  });
  const activityId = created.id;

  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  const statusesB = recordMutationStatuses(contextB);
  const pageA = await signedInDevice(contextA, organizer);
  const pageB = await signedInDevice(contextB, organizer);
  await openEditScreen(pageA, activityId, titles.original);
  await openEditScreen(pageB, activityId, titles.original);

  await contextA.setOffline(true);
  await contextB.setOffline(true);
  await saveTitleOffline(pageA, titles.a);
  await saveTitleOffline(pageB, titles.b);

  // A first: its edit lands.
  await contextA.setOffline(false);
  await expect(pageA.getByTestId('pending-count')).toHaveCount(0, { timeout: 20_000 });
  expect((await viewAs(baseUrl, organizer, activityId)).title).toBe(titles.a);

  // Then B: refused with 409 conflict, rolled back, and B is told.
  await contextB.setOffline(false);
  const notice = pageB.getByTestId('refusal-notice');
  await expect(notice).toBeVisible({ timeout: 20_000 });
  await expect(notice).toContainText(`Edit “${titles.b}”`);
  await expect(notice).toContainText('Someone changed this activity since you loaded it (title)');
  expect(statusesB).toContain(409);
  await expect(pageB.getByTestId('pending-count')).toHaveCount(0);
  // The server kept A's title.
  expect((await viewAs(baseUrl, organizer, activityId)).title).toBe(titles.a);
  return { organizer, activityId, pageB, contextA, contextB, statusesB };
}

/**
 * Where B picks: the edit screen offers the choice on a 409 (issue 5). B opens it from the
 * refused edit's activity.
 */
async function conflictChoiceOnEditScreen(page: Page, activityId: string): Promise<void> {
  await page.goto(`/activities/${activityId}/edit`);
  await expect(page.getByRole('heading', { level: 1, name: 'Edit activity' })).toBeVisible();
  const choice = page.getByRole('alert').filter({ hasText: 'Someone else changed this activity' });
  await expect(choice, 'B is offered "Keep mine" / "Keep theirs" for the edit the server refused with 409').toBeVisible();
  await expect(choice.getByRole('button', { name: 'Keep mine' })).toBeVisible();
  await expect(choice.getByRole('button', { name: 'Keep theirs' })).toBeVisible();
}

test('fail-on-conflict end to end: B chooses "Keep mine" and its title wins on the server', async ({ browser }) => {
  test.setTimeout(90_000);
  const baseUrl = sharedUrl();
  const stamp = Date.now();
  const titles = { original: `Picnic ${stamp}`, a: `Picnic by the lake ${stamp}`, b: `Picnic in the hills ${stamp}` };
  const { organizer, activityId, pageB, contextA, contextB } = await conflictingOfflineEdits(browser, baseUrl, titles);

  await conflictChoiceOnEditScreen(pageB, activityId);
  await pageB.getByRole('button', { name: 'Keep mine' }).click();

  await expect.poll(async () => (await viewAs(baseUrl, organizer, activityId)).title, { timeout: 20_000 }).toBe(titles.b);
  const final = await viewAs(baseUrl, organizer, activityId);
  expect(final.location).toBe('Town square');
  await expect(pageB.getByRole('heading', { level: 1, name: titles.b })).toBeVisible();
  await expect(pageB.getByTestId('pending-count')).toHaveCount(0, { timeout: 20_000 });
  await pageB.goto('/outbox');
  await expect(pageB.getByTestId('outbox-failed')).toHaveCount(0);
  await expect(pageB.getByTestId('refusal-notice')).toHaveCount(0);
  await contextA.close();
  await contextB.close();
});

test('fail-on-conflict end to end: B chooses "Keep theirs" and A\'s title stays on the server', async ({ browser }) => {
  test.setTimeout(90_000);
  const baseUrl = sharedUrl();
  const stamp = Date.now();
  const titles = { original: `Quiz night ${stamp}`, a: `Quiz night at Ana's ${stamp}`, b: `Quiz night at the pub ${stamp}` };
  const { organizer, activityId, pageB, contextA, contextB } = await conflictingOfflineEdits(browser, baseUrl, titles);

  await conflictChoiceOnEditScreen(pageB, activityId);
  await pageB.getByRole('button', { name: 'Keep theirs' }).click();

  // The form now shows theirs, and nothing of B's edit is sent.
  await expect(pageB.getByLabel('Title')).toHaveValue(titles.a);
  await expect(pageB.getByTestId('pending-count')).toHaveCount(0);
  await pageB.waitForTimeout(2_000);
  const final = await viewAs(baseUrl, organizer, activityId);
  expect(final.title).toBe(titles.a);
  expect(final.location).toBe('Town square');
  await pageB.goto('/outbox');
  await expect(pageB.getByTestId('outbox-failed')).toHaveCount(0);
  await expect(pageB.getByTestId('refusal-notice')).toHaveCount(0);
  await contextA.close();
  await contextB.close();
});
