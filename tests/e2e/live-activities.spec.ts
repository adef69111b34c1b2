import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { createActivityViaForm, newSignedInUser } from './fixtures';

test('two users: a new activity, its likes and its members show up live on the other screen', async ({ browser }) => {
  const ana = await newSignedInUser(browser, 'Ana');
  const ben = await newSignedInUser(browser, 'Ben');
  // The app must live within its own Content-Security-Policy.
  const violations: string[] = [];
  for (const page of [ana.page, ben.page]) {
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
  }
  await ben.page.goto('/');

  const title = `Sunrise hike ${Date.now()}`;
  const activityId = await createActivityViaForm(ana.page, title, { capacity: 8 });

  // Ben's feed shows it without a reload.
  const card = ben.page.getByTestId('activity-card').filter({ hasText: title });
  await expect(card).toBeVisible();
  await expect(card.getByTestId('like-count')).toHaveText('0');
  await expect(card.getByTestId('member-count')).toHaveText('1');

  // Ana watches her activity while Ben likes and joins it.
  await expect(ana.page.getByTestId('like-count')).toHaveText('0');
  await expect(ana.page.getByTestId('member-count')).toHaveText('1');

  await card.getByRole('link', { name: title }).click();
  await expect(ben.page).toHaveURL(new RegExp(`/activities/${activityId}$`));
  // The feed stays on screen until the activity screen's code has loaded (a transition): its
  // cards' Like buttons would match too.
  await expect(ben.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await ben.page.getByRole('button', { name: 'Like' }).click();
  await expect(ben.page.getByRole('button', { name: 'Unlike' })).toHaveAttribute('aria-pressed', 'true');
  await ben.page.getByRole('button', { name: 'Join' }).click();
  await expect(ben.page.getByRole('button', { name: 'Leave' })).toBeVisible();

  await expect(ana.page.getByTestId('like-count')).toHaveText('1');
  await expect(ana.page.getByTestId('member-count')).toHaveText('2');
  await expect(ana.page.getByRole('list', { name: 'Members' })).toContainText('Ben');

  // And the feed's counts follow too.
  await ana.page.goto('/');
  const anaCard = ana.page.getByTestId('activity-card').filter({ hasText: title });
  await expect(anaCard.getByTestId('like-count')).toHaveText('1');
  await expect(anaCard.getByTestId('member-count')).toHaveText('2');
  await ben.page.getByRole('button', { name: 'Unlike' }).click();
  await expect(anaCard.getByTestId('like-count')).toHaveText('0');
  expect(violations).toEqual([]);

  await ana.context.close();
  await ben.context.close();
});

test('deep links open directly and unknown pages say so', async ({ browser }) => {
  const cleo = await newSignedInUser(browser, 'Cleo');
  const activityId = await createActivityViaForm(cleo.page, 'Deep link test');
  await cleo.page.goto(`/activities/${activityId}`);
  await expect(cleo.page.getByRole('heading', { level: 1, name: 'Deep link test' })).toBeVisible();
  const response = await cleo.page.request.get(`/activities/${activityId}`);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/html');
  const root = await cleo.page.request.get('/');
  expect(root.status()).toBe(200);
  expect(await root.text()).toContain('<div id="root">');

  // Unknown pages: a route nobody defined, an activity and a conversation that do not exist.
  // Each must say so plainly and offer the way home, not crash, spin or show an empty screen.
  const unknown = [
    { path: '/no-such-page', says: 'Nothing here' },
    { path: `/activities/${randomUUID()}`, says: "This activity isn't available" },
    { path: `/chat/${randomUUID()}`, says: "This conversation isn't available" },
  ];
  for (const { path, says } of unknown) {
    await cleo.page.goto(path);
    await expect(cleo.page.getByText(says, { exact: true }), path).toBeVisible();
    await expect(cleo.page.getByRole('heading', { name: 'Something went wrong' }), path).toHaveCount(0);
    const home = cleo.page.getByRole('link', { name: 'Back to the feed' });
    await expect(home, path).toHaveAttribute('href', '/');
    await home.click();
    await expect(cleo.page).toHaveURL(/\/$/);
    await expect(cleo.page.getByTestId('activity-card').first(), `home from ${path}`).toBeVisible();
  }
  await cleo.context.close();
});
