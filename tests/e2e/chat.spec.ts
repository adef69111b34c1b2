import { expect, test, type BrowserContext } from '@playwright/test';
import { api, registerApiUser } from './api-client';
import { composer, deviceOf, messages, openChat, roomWith, send, type Device } from './chat-helpers';
import { signInViaForm, waitForServiceWorker } from './fixtures';
import { readMutationRecords } from './server-records';
import { ServerProcess } from './server-process';

/** Issue 6: chat, typing, receipts, unread counts, presence, live check-ins and announcements. */

const sharedUrl = () => test.info().project.use.baseURL ?? '';

test('messages both ways in a room and a direct chat, with typing, receipts and unread counts', async ({ browser }) => {
  const base = sharedUrl();
  const [anaUser, benUser] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben')];
  const roomId = await roomWith(base, anaUser, [benUser]);
  const [ana, ben] = [await deviceOf(browser, anaUser), await deviceOf(browser, benUser)];

  await openChat(ana.page, roomId);
  await openChat(ben.page, roomId);
  await expect(ben.page.getByRole('heading', { level: 1 })).toContainText('Bouldering');

  // Typing shows on the other side, and goes when the message arrives.
  await composer(ana.page).pressSequentially('Ropes at nine?', { delay: 20 });
  await expect(ben.page.getByTestId('typing')).toHaveText('Ana is typing…');
  await composer(ana.page).press('Enter');
  await expect(messages(ben.page).filter({ hasText: 'Ropes at nine?' })).toBeVisible();
  await expect(ben.page.getByTestId('typing')).not.toContainText('typing');
  await send(ben.page, 'Yes, see you there');
  await expect(messages(ana.page).filter({ hasText: 'Yes, see you there' })).toContainText('Ben');
  // Ben had the room open: Ana's message is read.
  await expect(messages(ana.page).filter({ hasText: 'Ropes at nine?' }).getByTestId('message-status')).toHaveText(/Read/);

  // Ben looks elsewhere: new messages are delivered to his device but unread.
  await ben.page.goto('/');
  await send(ana.page, 'Bring chalk');
  await send(ana.page, 'And water');
  await expect(ben.page.getByTestId('unread-total')).toHaveText('2');
  const lastOfAna = messages(ana.page).filter({ hasText: 'And water' });
  await expect(lastOfAna).toHaveAttribute('data-status', 'delivered');
  await ben.page.getByRole('link', { name: 'Chats' }).click();
  const row = ben.page.getByTestId('conversation').filter({ hasText: 'Bouldering' });
  await expect(row.getByTestId('unread')).toHaveText('2');
  await row.click();
  await expect(messages(ben.page).filter({ hasText: 'And water' })).toBeVisible();
  await expect(ben.page.getByTestId('unread-total')).toHaveCount(0);
  await expect(lastOfAna).toHaveAttribute('data-status', 'read');

  // A direct conversation, started from the members list.
  await ben.page.goto(`/activities/${roomId}`);
  await ben.page.getByRole('button', { name: 'Message Ana' }).click();
  await expect(ben.page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  await expect(ben.page.getByRole('heading', { level: 1, name: 'Ana' })).toBeVisible();
  await send(ben.page, 'Just between us: I am bringing cake');
  await ana.page.goto('/');
  await expect(ana.page.getByTestId('unread-total')).toHaveText('1');
  await ana.page.getByRole('link', { name: 'Chats' }).click();
  const direct = ana.page.getByTestId('conversation').filter({ hasText: 'Ben' });
  await expect(direct.getByTestId('unread')).toHaveText('1');
  await direct.click();
  await expect(messages(ana.page).filter({ hasText: 'I am bringing cake' })).toBeVisible();
  await send(ana.page, 'Perfect');
  await expect(messages(ben.page).filter({ hasText: 'Perfect' })).toBeVisible();
  await expect(messages(ben.page).filter({ hasText: 'I am bringing cake' }).getByTestId('message-status')).toHaveText(/Read/);

  // The typer's tab closes mid-word: the indicator does not stay.
  await composer(ben.page).pressSequentially('wait, one more', { delay: 20 });
  await expect(ana.page.getByTestId('typing')).toHaveText('Ben is typing…');
  await ben.context.close();
  await expect(ana.page.getByTestId('typing')).not.toContainText('typing', { timeout: 4_000 });
  await ana.context.close();
});

test('three messages written offline show as pending, survive a reload, and arrive once and in order', async ({ browser }) => {
  const base = sharedUrl();
  const [anaUser, benUser] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben')];
  const roomId = await roomWith(base, anaUser, [benUser]);
  const [ana, ben] = [await deviceOf(browser, anaUser), await deviceOf(browser, benUser)];
  await waitForServiceWorker(ana.page);
  await openChat(ana.page, roomId);
  await openChat(ben.page, roomId);
  await expect(ana.page.getByRole('heading', { level: 1 })).toContainText('Bouldering');

  await ana.context.setOffline(true);
  await expect(ana.page.getByTestId('connection')).toHaveText('Offline');
  const written = ['first, offline', 'second, offline', 'third, offline'];
  for (const text of written) await send(ana.page, text);
  for (const text of written) await expect(messages(ana.page).filter({ hasText: text })).toHaveAttribute('data-status', 'pending');

  await ana.page.reload();
  await expect(messages(ana.page)).toHaveText(written.map((text) => new RegExp(text)));
  for (const text of written) await expect(messages(ana.page).filter({ hasText: text })).toHaveAttribute('data-status', 'pending');
  await expect(messages(ben.page)).toHaveCount(0);

  await ana.context.setOffline(false);
  for (const text of written) await expect(messages(ana.page).filter({ hasText: text })).not.toHaveAttribute('data-status', 'pending', { timeout: 20_000 });
  await expect(messages(ben.page)).toHaveText(written.map((text) => new RegExp(text)));
  // The server holds each exactly once, in the order written.
  const page = await api<{ messages: { body: string; senderId: string }[] }>(base, benUser, 'GET', `/api/conversations/${roomId}/messages?before=9007199254740991`);
  expect(page.messages.map((m) => m.body)).toEqual(written);
  await ana.context.close();
  await ben.context.close();
});

test('a message sent the moment the network is back waits for its conversation, still queued in the worker, and both land in order', async ({ browser }) => {
  test.setTimeout(120_000);
  // A server of its own: the test reads its record of Ana's mutations.
  const server = await ServerProcess.onFreePort();
  await server.start();
  try {
    const [anaUser, benUser] = [await registerApiUser(server.url, 'Ana'), await registerApiUser(server.url, 'Ben')];
    const roomId = await roomWith(server.url, anaUser, [benUser]);
    const [ana, ben] = [await deviceOf(browser, anaUser, { baseURL: server.url }), await deviceOf(browser, benUser, { baseURL: server.url })];
    await waitForServiceWorker(ana.page);
    await ana.page.goto(`/activities/${roomId}`);
    await expect(ana.page.getByRole('button', { name: 'Message Ben' })).toBeVisible();

    // Offline, Ana starts a direct conversation with Ben: `conversation.open` goes to the worker's queue.
    await ana.context.setOffline(true);
    await expect(ana.page.getByTestId('connection')).toHaveText('Offline');
    await ana.page.getByRole('button', { name: 'Message Ben' }).click();
    await expect(ana.page.getByRole('heading', { level: 1, name: 'Ben' })).toBeVisible();
    const directUrl = ana.page.url();

    // The network comes back, but the worker's replay cannot get through yet (a flaky edge): its
    // queue still holds the conversation when the live connection is up and Ana writes.
    // Both ways the worker sends (one by one, and the batch of what it holds) are refused.
    const mutationRoutes = /\/api\/mutations(\/batch)?$/;
    await ana.context.route(mutationRoutes, (route) => route.abort('connectionrefused'));
    await ana.context.setOffline(false);
    await expect(ana.page.getByTestId('connection')).toHaveText(/Online/);
    await send(ana.page, 'Hi Ben, just us here');
    const written = messages(ana.page).filter({ hasText: 'Hi Ben, just us here' });
    await expect(written).toHaveAttribute('data-status', 'pending');
    // It did not overtake over the socket (there the server would refuse it: no such conversation yet).
    expect(readMutationRecords(server.dataDir, anaUser.id)).toEqual([]);

    // The edge lets the worker through: the conversation lands, then the message, once each.
    await ana.context.unroute(mutationRoutes);
    await ana.context.setOffline(true);
    await ana.context.setOffline(false);
    await expect(written).not.toHaveAttribute('data-status', 'pending', { timeout: 30_000 });
    await expect(ana.page.getByTestId('refusal-notice')).toHaveCount(0);
    const records = readMutationRecords(server.dataDir, anaUser.id).map((record) => `${record.name} ${record.httpStatus}`);
    expect(records).toEqual(['conversation.open 200', 'message.send 200']);

    await ben.page.goto(directUrl.replace(/^https?:\/\/[^/]+/, ''));
    await expect(messages(ben.page).filter({ hasText: 'Hi Ben, just us here' })).toBeVisible();
    await ana.context.close();
    await ben.context.close();
  } finally {
    await server.dispose();
  }
});

test('presence: online while any tab is open, offline with a last-seen time within 10 s of the last one closing', async ({ browser }) => {
  const base = sharedUrl();
  const [anaUser, benUser] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben')];
  const roomId = await roomWith(base, anaUser, [benUser]);
  const ana = await deviceOf(browser, anaUser);
  // Ana opens the direct conversation with Ben from the members list.
  await ana.page.goto(`/activities/${roomId}`);
  await ana.page.getByRole('button', { name: 'Message Ben' }).click();
  const presence = ana.page.getByTestId('presence');
  await expect(presence).toHaveAttribute('data-status', 'offline');

  const benTabs = [await deviceOf(browser, benUser), await deviceOf(browser, benUser)];
  await expect(presence).toHaveAttribute('data-status', 'online');
  await expect(presence).toHaveText(/Online/);
  await benTabs[0]!.context.close();
  // Longer than the server's grace for reloads: Ben is still here.
  await ana.page.waitForTimeout(5_000);
  await expect(presence).toHaveAttribute('data-status', 'online');

  const closedAt = Date.now();
  await benTabs[1]!.context.close();
  await expect(presence).toHaveAttribute('data-status', 'offline', { timeout: 10_000 });
  expect(Date.now() - closedAt).toBeLessThan(10_000);
  await expect(presence).toHaveText(/Last seen just now/);
  await ana.context.close();
});

test('check-ins and announcements reach every member live, and nobody else', async ({ browser }) => {
  const base = sharedUrl();
  const [anaUser, benUser, cleoUser] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben'), await registerApiUser(base, 'Cleo')];
  const title = `Picnic ${Date.now()}`;
  const roomId = await roomWith(base, anaUser, [benUser], title);
  const [ana, ben, cleo] = [await deviceOf(browser, anaUser), await deviceOf(browser, benUser), await deviceOf(browser, cleoUser)];
  await openChat(ana.page, roomId);
  await expect(ana.page.getByTestId('attendance')).toHaveText('0 checked in');
  // Cleo (not a member) looks at the public activity the whole time.
  await cleo.page.goto(`/activities/${roomId}`);
  await expect(cleo.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(cleo.page.getByRole('link', { name: 'Chat', exact: true })).toHaveCount(0);

  await ben.page.goto(`/activities/${roomId}`);
  await ben.page.getByRole('button', { name: /Check in/ }).click();
  await expect(ana.page.getByTestId('attendance')).toHaveText('1 checked in');

  await ana.page.getByRole('checkbox', { name: /announcement/ }).check();
  await send(ana.page, 'We moved to the north lawn');
  await expect(ben.page.getByTestId('announcement')).toContainText('We moved to the north lawn');
  await expect(ben.page.getByTestId('latest-announcement')).toContainText('We moved to the north lawn');
  await expect(messages(ana.page).filter({ hasText: 'north lawn' })).toHaveClass(/message-announcement/);

  await cleo.page.waitForTimeout(1_000);
  await expect(cleo.page.getByTestId('announcement')).toHaveCount(0);
  await expect(cleo.page.getByTestId('latest-announcement')).toHaveCount(0);
  const cleoHolds = await cleo.page.evaluate(async (userId) => {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open(`rally-user-${userId}`);
      request.onsuccess = () => resolve(request.result);
    });
    const count = (store: string) =>
      new Promise<number>((resolve) => {
        const request = db.transaction(store).objectStore(store).count();
        request.onsuccess = () => resolve(request.result);
      });
    const result = { messages: await count('messages'), conversations: await count('conversations') };
    db.close();
    return result;
  }, cleoUser.id);
  expect(cleoHolds).toEqual({ messages: 0, conversations: 0 });
  for (const device of [ana, ben, cleo]) await device.context.close();
});

test('with WebSocket upgrades refused, chat works over long-polling', async ({ browser }) => {
  const base = sharedUrl();
  const [anaUser, benUser] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben')];
  const roomId = await roomWith(base, anaUser, [benUser]);
  const blocked: BrowserContext[] = [];
  const devices: Device[] = [];
  let upgradesRefused = 0;
  for (const user of [anaUser, benUser]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    // A proxy that drops every WebSocket: the connection closes before it is ever open.
    await context.routeWebSocket(/\/socket\.io\//, (ws) => {
      upgradesRefused++;
      void ws.close({ code: 1008, reason: 'blocked by proxy' });
    });
    blocked.push(context);
    const page = await context.newPage();
    await signInViaForm(page, user.email, user.password);
    devices.push({ context, page });
  }
  const [ana, ben] = devices as [Device, Device];
  await openChat(ana.page, roomId);
  await openChat(ben.page, roomId);
  await send(ana.page, 'Can you hear me over polling?');
  await expect(messages(ben.page).filter({ hasText: 'over polling' })).toBeVisible();
  await composer(ben.page).pressSequentially('Loud and clear', { delay: 20 });
  await expect(ana.page.getByTestId('typing')).toHaveText('Ben is typing…');
  await composer(ben.page).press('Enter');
  await expect(messages(ana.page).filter({ hasText: 'Loud and clear' })).toBeVisible();
  expect(upgradesRefused).toBeGreaterThan(0);
  for (const context of blocked) await context.close();
});
