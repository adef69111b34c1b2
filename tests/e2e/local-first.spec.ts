import { expect, test } from '@playwright/test';
import { api, loginApiUser, registerApiUser } from './api-client';
import { createActivityViaForm, inFuture, newSignedInUser, signInViaForm, waitForServiceWorker } from './fixtures';
import { keysOf, readLocalRows, serverTruth } from './local-db';

const baseUrl = () => test.info().project.use.baseURL ?? '';

test('after one online visit, the feed and an activity open from the device with the network off', async ({ browser }) => {
  const ana = await newSignedInUser(browser, 'Ana');
  const title = `Offline picnic ${Date.now()}`;
  const activityId = await createActivityViaForm(ana.page, title);
  await ana.page.goto('/');
  await expect(ana.page.getByTestId('activity-card').filter({ hasText: title })).toBeVisible();
  await waitForServiceWorker(ana.page);

  await ana.context.setOffline(true);
  await ana.page.reload();
  await expect(ana.page.getByTestId('connection')).toHaveText('Offline');
  const card = ana.page.getByTestId('activity-card').filter({ hasText: title });
  await expect(card).toBeVisible();
  await card.getByRole('link', { name: title }).click();
  await expect(ana.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(ana.page.getByRole('list', { name: 'Members' })).toContainText('Ana');

  // A cold open of the deep link, still offline.
  await ana.page.goto(`/activities/${activityId}`);
  await expect(ana.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(ana.page.getByTestId('connection')).toHaveText('Offline');
  await ana.context.close();
});

test('leaving a private activity removes it and everything under it from the device', async ({ browser }) => {
  const ana = await newSignedInUser(browser, 'Ana');
  const benApi = await registerApiUser(baseUrl(), 'Benedict');
  const ben = await browser.newContext();
  const benPage = await ben.newPage();
  await signInViaForm(benPage, benApi.email, benApi.password);

  // Ana hosts a private dinner and invites Ben from its page.
  await ana.page.getByRole('link', { name: 'New activity' }).click();
  const title = `Private dinner ${Date.now()}`;
  await ana.page.getByLabel('Title').fill(title);
  await ana.page.getByLabel('Starts').fill(inFuture(48));
  await ana.page.getByLabel('Private').check();
  await ana.page.getByRole('button', { name: 'Create activity' }).click();
  await expect(ana.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const activityId = /\/activities\/([0-9a-f-]{36})/.exec(ana.page.url())?.[1] ?? '';
  await ana.page.getByLabel('Search people by name').fill('Benedict');
  await ana.page.getByRole('button', { name: 'Invite', exact: true }).first().click();

  // Ben sees it arrive, joins and likes it: activity, two members, a like and its chat room on his device.
  const card = benPage.getByTestId('activity-card').filter({ hasText: title });
  await expect(card).toBeVisible();
  await card.getByRole('link', { name: title }).click();
  await benPage.getByRole('button', { name: 'Join' }).click();
  await expect(benPage.getByRole('button', { name: 'Leave' })).toBeVisible();
  await benPage.getByRole('button', { name: 'Like' }).click();
  const underIt = async () => keysOf(await readLocalRows(benPage, benApi.id)).filter((key) => key.includes(activityId));
  await expect.poll(async () => (await underIt()).length).toBe(5);
  expect(await underIt()).toEqual(
    expect.arrayContaining([`activity/${activityId}`, `like/${activityId}:${benApi.id}`, `member/${activityId}:${benApi.id}`, `conversation/${activityId}`]),
  );

  // Leaving uses up his invitation: he may no longer see it, and his device forgets all of it.
  await benPage.getByRole('button', { name: 'Leave' }).click();
  await expect(benPage.getByText("This activity isn't available")).toBeVisible();
  await expect.poll(underIt).toEqual([]);
  await benPage.goto('/');
  await expect(benPage.getByTestId('activity-card').filter({ hasText: title })).toHaveCount(0);

  // Ana's device still has it, with one member fewer.
  await expect(ana.page.getByTestId('member-count')).toHaveText('1');
  await ana.context.close();
  await ben.close();
});

test('a database written by the previous schema version opens under the new one with its rows intact', async ({ browser }) => {
  const user = await registerApiUser(baseUrl(), 'Upgrader');
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  // Let the page finish finding out nobody is signed in (that forgets any remembered user)
  // before this test remembers one.
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  const activityId = '5e1f0c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
  const createdAt = new Date().toISOString();
  // Exactly what Dexie made of schema version 1 (IndexedDB version 10), with one row per table.
  await page.evaluate(
    async ({ name, activityId, userId, createdAt }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name, 10);
        request.onupgradeneeded = () => {
          const d = request.result;
          d.createObjectStore('activities', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
          d.createObjectStore('members', { keyPath: ['activityId', 'userId'] }).createIndex('activityId', 'activityId');
          d.createObjectStore('likes', { keyPath: ['activityId', 'userId'] }).createIndex('activityId', 'activityId');
          d.createObjectStore('syncState', { keyPath: 'key' });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tx = db.transaction(['activities', 'members', 'likes'], 'readwrite');
      tx.objectStore('activities').put({
        id: activityId, ownerId: userId, ownerName: 'Upgrader', title: 'Kept Across Upgrades', description: '', location: 'Old Town',
        startsAt: createdAt, endsAt: null, capacity: null, visibility: 'public', memberCount: 1, likeCount: 1,
        createdAt, updatedAt: createdAt, version: 3,
      });
      tx.objectStore('members').put({ activityId, userId, displayName: 'Upgrader', role: 'owner', joinedAt: createdAt, version: 2 });
      tx.objectStore('likes').put({ activityId, userId, createdAt, version: 3 });
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
      localStorage.setItem('rally:lastUser', JSON.stringify({ id: userId, displayName: 'Upgrader' }));
    },
    { name: `rally-user-${user.id}`, activityId, userId: user.id, createdAt },
  );

  // Open the app with the network off: nothing but the upgraded database can supply the row.
  await context.route('**/api/**', (route) => route.abort('internetdisconnected'));
  await page.goto('/');
  const card = page.getByTestId('activity-card').filter({ hasText: 'Kept Across Upgrades' });
  await expect(card).toBeVisible();
  await expect(card.getByTestId('like-count')).toHaveText('1');
  await expect(card.getByRole('button', { name: 'Unlike' })).toBeVisible();
  // The upgrade filled in the new derived field, so local search finds the old row.
  await page.getByLabel('Search activities').fill('old town');
  await expect(card).toBeVisible();
  const upgraded = await page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
    });
    const version = db.version;
    const indexes = [...db.transaction('members').objectStore('members').indexNames];
    const messageIndexes = [...db.transaction('messages').objectStore('messages').indexNames];
    const stores = [...db.objectStoreNames];
    const activity = await new Promise<Record<string, unknown>>((resolve) => {
      const request = db.transaction('activities').objectStore('activities').getAll();
      request.onsuccess = () => resolve((request.result as Record<string, unknown>[])[0]!);
    });
    db.close();
    return { version, indexes, messageIndexes, stores, checkinCount: activity.checkinCount };
  }, `rally-user-${user.id}`);
  // Through every later version too: 13 is the newest (IndexedDB version 130).
  expect(upgraded.version).toBe(130);
  expect(upgraded.indexes).toContain('userId');
  expect(upgraded.messageIndexes).toEqual(expect.arrayContaining(['[conversationId+senderId+seq]', 'conversationId']));
  expect(upgraded.stores).toEqual(
    expect.arrayContaining(['checkins', 'outbox', 'conversations', 'messages', 'receipts', 'notifications', 'userSettings', 'conversationSettings', 'drafts', 'hiddenMessages', 'pendingPhotos', 'removals', 'blockedUsers']),
  );
  expect(upgraded.checkinCount).toBe(0);
  await context.close();
});

test('the feed is pulled in a worker, which gets a newer token from the page when the server refuses its own', async ({ browser }) => {
  const cleo = await newSignedInUser(browser, 'Cleo');
  const other = await registerApiUser(baseUrl(), 'Dmitri');
  // A first sync is the page's heaviest job: it runs off the main thread (src/data/sync-worker.ts).
  await expect.poll(() => cleo.page.workers().some((worker) => worker.url().includes('sync-worker'))).toBe(true);

  // Made while Cleo is away, so only a pull brings it (the socket tells only of what it sees live).
  await cleo.page.goto('about:blank');
  const title = `Pulled by the worker ${Date.now()}`;
  await api(baseUrl(), other, 'POST', '/api/activities', { title, startsAt: new Date(Date.now() + 86_400_000).toISOString() });
  // The server refuses the worker's first page as if its token had expired.
  const syncAnswers: number[] = [];
  await cleo.context.route('**/api/sync?**', async (route) => {
    if (syncAnswers.length === 0) {
      syncAnswers.push(401);
      return route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: { code: 'token_expired', message: 'The access token has expired' } }) });
    }
    const response = await route.fetch();
    syncAnswers.push(response.status());
    return route.fulfill({ response });
  });
  const refreshes: number[] = [];
  cleo.page.on('request', (request) => {
    if (request.url().includes('/api/auth/refresh')) refreshes.push(syncAnswers.length);
  });
  await cleo.page.goto('/');
  await expect(cleo.page.getByTestId('activity-card').filter({ hasText: title })).toBeVisible();
  // The start's own refresh, then the one the worker asked for after its refusal; then the page went through.
  expect(syncAnswers[0]).toBe(401);
  expect(syncAnswers.slice(1)).toContain(200);
  expect(refreshes.filter((pagesAnsweredBefore) => pagesAnsweredBefore >= 1).length).toBeGreaterThan(0);
  await cleo.context.close();
});

test('two tabs share one database: one leads the pulls and the other takes over when it closes', async ({ browser }) => {
  const cleo = await newSignedInUser(browser, 'Cleo');
  const other = await registerApiUser(baseUrl(), 'Dmitri');
  const first = cleo.page;
  const second = await cleo.context.newPage();
  const pulls = { first: 0, second: 0 };
  let lastPullAt = Date.now();
  for (const [tab, name] of [[first, 'first'], [second, 'second']] as const) {
    tab.on('request', (r) => {
      if (!r.url().includes('/api/sync')) return;
      pulls[name]++;
      lastPullAt = Date.now();
    });
  }
  await second.goto('/');
  await expect(second.getByTestId('connection')).toHaveText('Online');
  // Quiet first: a pull the second tab's start asked for, still on its way, would carry the
  // activity below and leave the leader nothing to pull for it.
  await expect.poll(() => Date.now() - lastPullAt, { timeout: 15_000 }).toBeGreaterThan(1_500);
  pulls.first = 0;
  pulls.second = 0;

  const title = `Shared tabs ${Date.now()}`;
  await api(baseUrl(), other, 'POST', '/api/activities', { title, startsAt: new Date(Date.now() + 86_400_000).toISOString() });
  await expect(first.getByTestId('activity-card').filter({ hasText: title })).toBeVisible();
  await expect(second.getByTestId('activity-card').filter({ hasText: title })).toBeVisible();
  // Both tabs saw the event; the leader (the first tab) alone pulled to settle its cursor.
  await expect.poll(() => pulls.first + pulls.second).toBeGreaterThan(0);
  await first.waitForTimeout(500);
  expect(pulls.second).toBe(0);

  await first.close();
  const next = `After handover ${Date.now()}`;
  await api(baseUrl(), other, 'POST', '/api/activities', { title: next, startsAt: new Date(Date.now() + 86_400_000).toISOString() });
  await expect(second.getByTestId('activity-card').filter({ hasText: next })).toBeVisible();
  await expect.poll(() => pulls.second).toBeGreaterThan(0);

  const cleoApi = await loginApiUser(baseUrl(), { id: '', token: '', email: cleo.email, password: 'correct horse battery', displayName: 'Cleo' });
  const me = await api<{ user: { id: string } }>(baseUrl(), cleoApi, 'GET', '/api/auth/me');
  await expect.poll(async () => readLocalRows(second, me.user.id)).toEqual(await serverTruth(baseUrl(), cleoApi.token));
  await cleo.context.close();
});

test('a device that pulled under protocol 4 starts over under protocol 5, and so gets what that page was never sent', async ({ browser }) => {
  const [ana, ben] = [await registerApiUser(baseUrl(), 'Ana'), await registerApiUser(baseUrl(), 'Ben')];
  const { id } = await api<{ id: string }>(baseUrl(), ana, 'POST', '/api/activities', { title: `Secret supper ${Date.now()}`, startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString(), visibility: 'private' });
  await api(baseUrl(), ana, 'POST', `/api/activities/${id}/invites`, { userId: ben.id });
  const context = await browser.newContext();
  const page = await context.newPage();
  let lastPullAt = Date.now();
  page.on('request', (r) => {
    if (r.url().includes('/api/sync')) lastPullAt = Date.now();
  });
  await signInViaForm(page, ben.email, ben.password);
  await page.goto('/notifications');
  await expect(page.getByTestId('notification')).toHaveCount(1);
  // Quiet first: the notification shows from the device before this page's own start-up pulls
  // (sign-in, then the socket's connect) are over, and one still on its way would write back the
  // cursor and protocol this test takes away.
  await expect(page.getByTestId('connection')).toHaveText('Online');
  await expect.poll(() => Date.now() - lastPullAt, { timeout: 15_000 }).toBeGreaterThan(1_500);

  // What a protocol-4 page leaves behind: a cursor past the invitation, no protocol noted beside
  // it, and none of the rows protocol 5 added (the server never sent that page its notifications).
  await page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction(['notifications', 'syncState'], 'readwrite');
    tx.objectStore('notifications').clear();
    const states = tx.objectStore('syncState');
    const read = states.get('feed');
    read.onsuccess = () => {
      const { protocolVersion: _dropped, ...underProtocol4 } = read.result as { protocolVersion?: number };
      states.put(underProtocol4);
    };
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, `rally-user-${ben.id}`);

  await page.reload();
  await expect(page.getByTestId('notification')).toHaveCount(1);
  await expect(page.getByTestId('notification')).toContainText('invited you');
  await context.close();
});
