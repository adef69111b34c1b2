import { expect, test, type Browser } from '@playwright/test';
import { api, registerApiUser, type ApiUser } from './api-client';
import { signInViaForm, waitForServiceWorker } from './fixtures';
import { asFcmMessage, clickNotification, lastBadge, messagePush, pushDelivery, sendMessage, shownNotifications, workerHandledPushSince } from './push-helpers';

/** Issue 12, the page and the worker: pushes shown, collapsed, suppressed, tapped offline; no prompt or Firebase on load. */

const sharedUrl = () => test.info().project.use.baseURL ?? '';

async function roomWith(base: string, owner: ApiUser, member: ApiUser): Promise<string> {
  const { id } = await api<{ id: string }>(base, owner, 'POST', '/api/activities', {
    title: `Climbing ${Date.now()}`,
    startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString(),
  });
  await api(base, member, 'POST', `/api/activities/${id}/join`);
  return id;
}

/** A device of `user` with notifications allowed, holding the room (synced), its worker in control. */
async function deviceHolding(browser: Browser, user: ApiUser, roomId: string) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await context.grantPermissions(['notifications']);
  const page = await context.newPage();
  await signInViaForm(page, user.email, user.password);
  await waitForServiceWorker(page);
  await page.goto('/chat');
  await expect(page.locator(`a[href="/chat/${roomId}"]`)).toBeVisible();
  return { context, page };
}

test('a pushed message shows with its tag and link, collapses the next, sets the badge, and a tap opens it offline', async ({ browser }) => {
  const base = sharedUrl();
  const [ana, ben] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben')];
  const roomId = await roomWith(base, ana, ben);
  const device = await deviceHolding(browser, ben, roomId);
  // Away from the app (a document the worker does not answer with the shell): only the worker
  // runs Rally now, so what is stored, shown and badged is the worker's doing.
  await device.page.goto('/api/ready');
  const deliver = await pushDelivery(device.context, device.page);
  const tag = `conversation:${roomId}`;

  const first = await sendMessage(base, ana, roomId, 'Ropes at nine?');
  await deliver(messagePush(ben, first));
  await expect.poll(() => shownNotifications(device.page, tag)).toEqual([
    expect.objectContaining({ title: 'Ana', body: 'Ropes at nine?', tag, data: expect.objectContaining({ url: `/chat/${roomId}`, count: 1 }) }),
  ]);
  await expect.poll(() => lastBadge(device.page)).toEqual(expect.objectContaining({ count: 1, setBy: 'worker' }));

  const second = await sendMessage(base, ana, roomId, 'Bring chalk.');
  await deliver(messagePush(ben, second));
  await expect.poll(async () => (await shownNotifications(device.page, tag)).map((n) => `${n.title}: ${n.body}`)).toEqual(['2 new messages from Ana: Bring chalk.']);
  await expect.poll(() => lastBadge(device.page)).toEqual(expect.objectContaining({ count: 2, setBy: 'worker' }));

  // The network is gone by the time the user taps: the messages come from what the push stored.
  await device.context.setOffline(true);
  await clickNotification(device.page, tag);
  // The worker navigates the open window there (or opens one, where it cannot).
  const onChat = () => device.context.pages().find((p) => p.url().endsWith(`/chat/${roomId}`));
  await expect.poll(() => device.context.pages().map((p) => p.url())).toContainEqual(expect.stringMatching(new RegExp(`/chat/${roomId}$`)));
  const opened = onChat()!;
  const log = opened.getByRole('log', { name: 'Messages' });
  await expect(log.getByText('Ropes at nine?')).toBeVisible();
  await expect(log.getByText('Bring chalk.')).toBeVisible();
  await expect.poll(() => shownNotifications(opened, tag)).toEqual([]);
  await device.context.close();
});

test('an FCM data message shows the same way; a window on that conversation, or another user, gets nothing', async ({ browser }) => {
  const base = sharedUrl();
  const [ana, ben] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben')];
  const roomId = await roomWith(base, ana, ben);
  const device = await deviceHolding(browser, ben, roomId);
  const tag = `conversation:${roomId}`;
  await device.page.goto(`/chat/${roomId}`);
  await expect(device.page.getByRole('heading', { level: 1 })).toContainText('Climbing');
  const deliver = await pushDelivery(device.context, device.page);

  // Ben reads this conversation right now: the push shows nothing. Stay on it until the worker has
  // handled the push (the DevTools call returns once it is dispatched): leaving sooner would make it
  // a push for a conversation no longer on screen.
  const live = await sendMessage(base, ana, roomId, 'Seen it live.');
  await expect(device.page.getByRole('log', { name: 'Messages' }).getByText('Seen it live.')).toBeVisible();
  const deliveredAt = new Date();
  await deliver(asFcmMessage(messagePush(ben, live)));
  expect(await workerHandledPushSince(device.page, deliveredAt)).not.toBeNull();
  // A push for someone not signed in here (a shared phone) shows and stores nothing either.
  const forAna = messagePush(ana, await sendMessage(base, ben, roomId, 'Not for this phone.'));
  await deliver(asFcmMessage({ ...forAna, tag: 'conversation:other' }));

  await device.page.goto('/');
  await expect(device.page.getByRole('heading', { level: 1 })).toBeVisible();
  await deliver(asFcmMessage(messagePush(ben, await sendMessage(base, ana, roomId, 'And now?'))));
  // Pushes are handled in order: had the first been shown, this would read "2 new messages".
  await expect.poll(async () => (await shownNotifications(device.page)).map((n) => `${n.tag} ${n.title}: ${n.body}`)).toEqual([`${tag} Ana: And now?`]);
  await device.context.close();
});

test('the first page load asks no permission and fetches no Firebase code', async ({ browser }) => {
  const base = sharedUrl();
  const user = await registerApiUser(base, 'Cleo');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await context.addInitScript(() => {
    const counter = window as unknown as { permissionRequests: number };
    counter.permissionRequests = 0;
    if ('Notification' in window) {
      const original = Notification.requestPermission.bind(Notification);
      Notification.requestPermission = (...args: Parameters<typeof Notification.requestPermission>) => {
        counter.permissionRequests++;
        return original(...args);
      };
    }
  });
  const requested: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  const page = await context.newPage();
  await signInViaForm(page, user.email, user.password);
  await waitForServiceWorker(page);
  await page.getByRole('link', { name: /Notifications/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();

  expect(await page.evaluate(() => (window as unknown as { permissionRequests: number }).permissionRequests)).toBe(0);
  // The worker's precache downloads too are requests of this context: none is Firebase's.
  expect(requested.filter((url) => /firebase/i.test(url))).toEqual([]);
  await context.close();
});

test('on a shared phone, a push for the person who signed out shows and stores nothing', async ({ browser }) => {
  const base = sharedUrl();
  const [ana, ben] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben')];
  const roomId = await roomWith(base, ana, ben);
  const device = await deviceHolding(browser, ben, roomId);
  await device.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(device.page).toHaveURL(/\/login/);
  await signInViaForm(device.page, ana.email, ana.password);
  await device.page.goto('/api/ready');
  const deliver = await pushDelivery(device.context, device.page);

  await deliver(messagePush(ben, await sendMessage(base, ana, roomId, 'For Ben only.')));
  await deliver(messagePush(ana, await sendMessage(base, ben, roomId, 'For Ana.')));
  // Pushes are handled in order: once Ana's shows, Ben's was dropped.
  await expect.poll(async () => (await shownNotifications(device.page)).map((n) => n.body)).toEqual(['For Ana.']);
  const bensDatabase = await device.page.evaluate(async (name) => (await indexedDB.databases()).some((db) => db.name === name), `rally-user-${ben.id}`);
  expect(bensDatabase).toBe(false);
  await device.context.close();
});
