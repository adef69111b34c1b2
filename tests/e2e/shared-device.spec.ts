import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { api, loginApiUser, registerApiUser, type ApiUser } from './api-client';
import { inFuture, signInViaForm, signedInDevice } from './fixtures';
import { ServerProcess } from './server-process';

/**
 * One phone, two people: what one of them wrote offline is never sent as the other, and no
 * credential is ever written where the next person (or anyone with the device) could read it.
 */

const sharedUrl = () => test.info().project.use.baseURL ?? '';

interface ActivityView {
  id: string;
  title: string;
  createdBy?: { id: string };
  likeCount: number;
  viewer: { liked: boolean };
}

async function createViaApi(baseUrl: string, user: ApiUser, title: string): Promise<string> {
  const created = await api<{ id: string }>(baseUrl, user, 'POST', '/api/activities', {
    title,
    startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString(),
  });
  return created.id;
}

async function titlesSeenBy(baseUrl: string, user: ApiUser): Promise<string[]> {
  const fresh = await loginApiUser(baseUrl, user);
  return (await api<{ items: ActivityView[] }>(baseUrl, fresh, 'GET', '/api/activities?limit=100')).items.map((a) => a.title);
}

async function viewAs(baseUrl: string, user: ApiUser, activityId: string): Promise<ActivityView> {
  const fresh = await loginApiUser(baseUrl, user);
  return api<ActivityView>(baseUrl, fresh, 'GET', `/api/activities/${activityId}`);
}

/**
 * Every place on the device a page can read that holds something shaped like a JWT: localStorage,
 * every IndexedDB database (the worker's queue included) and Cache Storage (requests and bodies).
 */
async function storedTokens(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const jwt = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;
    const readable = (value: unknown) =>
      JSON.stringify(value, (_key, v: unknown) => (v instanceof ArrayBuffer ? new TextDecoder().decode(v) : v)) ?? '';
    const hits: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i) ?? '';
      if (jwt.test(localStorage.getItem(key) ?? '')) hits.push(`localStorage ${key}`);
    }
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const name = info.name;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const values = await new Promise<unknown[]>((resolve, reject) => {
          const all = db.transaction(store).objectStore(store).getAll();
          all.onsuccess = () => resolve(all.result);
          all.onerror = () => reject(all.error);
        });
        if (values.some((value) => jwt.test(readable(value)))) hits.push(`indexedDB ${name}/${store}`);
      }
      db.close();
    }
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        if (request.headers.get('authorization')) hits.push(`cache ${name} request ${request.url}`);
        const body = await (await cache.match(request))?.text();
        if (body && jwt.test(body)) hits.push(`cache ${name} body ${request.url}`);
      }
    }
    return hits;
  });
}

/**
 * The mutations the worker holds, as `writer#mutationId`, each once (a page reloaded while the
 * worker was taking a write may hand it over twice; the server applies it once either way).
 */
async function workerQueue(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('workbox-background-sync');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('requests')) return resolve([]);
          const all = db.transaction('requests').objectStore('requests').getAll();
          all.onsuccess = () =>
            resolve(
              [
                ...new Set(
                  (all.result as { queueName: string; metadata?: { userId?: string }; requestData: { body?: ArrayBuffer } }[])
                    .filter((entry) => entry.queueName.startsWith('rally-mutations'))
                    .map((entry) => {
                      const body = JSON.parse(new TextDecoder().decode(entry.requestData.body)) as { mutationId: number };
                      return `${entry.metadata?.userId ?? '?'}#${body.mutationId}`;
                    }),
                ),
              ].sort(),
            );
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** Fires the worker's background sync for a user's queued mutations, as the browser does when back online. */
async function fireMutationSync(context: BrowserContext, page: Page, origin: string, userId: string): Promise<void> {
  const cdp = await context.newCDPSession(page);
  const registrations = new Set<string>();
  cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => {
    for (const registration of event.registrations) if (!registration.isDeleted) registrations.add(registration.registrationId);
  });
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => registrations.size).toBeGreaterThan(0);
  for (const registrationId of registrations) {
    await cdp.send('ServiceWorker.dispatchSyncEvent', { origin, registrationId, tag: `workbox-background-sync:rally-mutations:${userId}`, lastChance: false });
  }
  await cdp.detach();
}

async function writeOffline(page: Page, title: string, likeTitle: string, likeId: string): Promise<void> {
  await page.getByRole('link', { name: 'New activity' }).click();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Starts').fill(inFuture(30));
  await page.getByRole('button', { name: 'Create activity' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await page.goto(`/activities/${likeId}`);
  await expect(page.getByRole('heading', { level: 1, name: likeTitle })).toBeVisible();
  await page.getByRole('button', { name: 'Like' }).click();
  await expect(page.getByTestId('pending-count')).toHaveText('2 pending');
}

test('signing out with unsent changes asks first; "Sign out anyway" drops them, and none is sent as the next person', async ({ browser }) => {
  test.setTimeout(120_000);
  const baseUrl = sharedUrl();
  const ana = await registerApiUser(baseUrl, 'Ana');
  const ben = await registerApiUser(baseUrl, 'Ben');
  const stamp = Date.now();
  const bensTitle = `Ben's picnic ${stamp}`;
  const bens = await createViaApi(baseUrl, ben, bensTitle);
  const secret = `Ana's surprise ${stamp}`;

  const context = await browser.newContext();
  const page = await signedInDevice(context, ana);
  await expect(page.getByTestId('activity-card').filter({ hasText: bensTitle })).toBeVisible();

  await context.setOffline(true);
  await writeOffline(page, secret, bensTitle, bens);
  await expect.poll(() => workerQueue(page)).toEqual([`${ana.id}#1`, `${ana.id}#2`]);
  expect(await storedTokens(page)).toEqual([]);

  // The question comes first; staying keeps everything.
  await page.getByRole('button', { name: 'Sign out' }).click();
  const dialog = page.getByRole('dialog', { name: '2 changes not sent yet' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Stay' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('pending-count')).toHaveText('2 pending');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await dialog.getByRole('button', { name: 'Sign out anyway' }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect.poll(() => workerQueue(page)).toEqual([]);

  // Ben signs in on the same browser; the network is back and the worker gets its chance.
  await context.setOffline(false);
  await signInViaForm(page, ben.email, ben.password);
  await fireMutationSync(context, page, new URL(baseUrl).origin, ana.id);
  await page.waitForTimeout(2_000);

  expect(await titlesSeenBy(baseUrl, ben)).not.toContain(secret);
  expect(await titlesSeenBy(baseUrl, ana)).not.toContain(secret);
  expect(await viewAs(baseUrl, ben, bens)).toMatchObject({ likeCount: 0, viewer: { liked: false } });
  expect(await storedTokens(page)).toEqual([]);
  await context.close();
});

test("writes left by a session that ended are held while someone else is signed in, and sent as their maker when she is back", async ({ browser }) => {
  test.setTimeout(240_000);
  const server = await ServerProcess.onFreePort({ env: { ACCESS_TOKEN_TTL_SECONDS: '5' } });
  await server.start();
  try {
    const ana = await registerApiUser(server.url, 'Ana');
    const ben = await registerApiUser(server.url, 'Ben');
    const stamp = Date.now();
    const bensTitle = `Ben's kayak ${stamp}`;
    const bens = await createViaApi(server.url, ben, bensTitle);
    const anasTitle = `Ana's brunch ${stamp}`;

    const context = await browser.newContext({ baseURL: server.url });
    const page = await signedInDevice(context, ana);
    await expect(page.getByTestId('activity-card').filter({ hasText: bensTitle })).toBeVisible();
    const sessionId = await page.evaluate(() => (JSON.parse(localStorage.getItem('rally:lastUser') ?? '{}') as { sessionId?: string }).sessionId);
    expect(sessionId).toBeTruthy();

    await context.setOffline(true);
    await writeOffline(page, anasTitle, bensTitle, bens);
    await expect.poll(() => workerQueue(page)).toEqual([`${ana.id}#1`, `${ana.id}#2`]);
    // Ana's session ends elsewhere (she signed out on another device of hers), and her token expires.
    await page.goto('about:blank');
    const ended = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId }),
    });
    expect(ended.status).toBe(204);
    await page.waitForTimeout(6_000);

    // Back online, the phone opens on the sign-in screen; Ben signs in there.
    await context.setOffline(false);
    await signInViaForm(page, ben.email, ben.password);
    await fireMutationSync(context, page, new URL(server.url).origin, ana.id);
    await page.waitForTimeout(2_000);
    expect(await workerQueue(page)).toEqual([`${ana.id}#1`, `${ana.id}#2`]);
    expect(await titlesSeenBy(server.url, ben)).not.toContain(anasTitle);
    expect(await viewAs(server.url, ben, bens)).toMatchObject({ likeCount: 0 });
    expect(await storedTokens(page)).toEqual([]);

    // Ben's own writes are not stuck behind Ana's.
    await page.goto(`/activities/${bens}`);
    await page.getByRole('button', { name: 'Like' }).click();
    await expect(page.getByRole('button', { name: 'Unlike' })).toBeVisible();
    await expect.poll(async () => (await viewAs(server.url, ben, bens)).viewer.liked, { timeout: 15_000 }).toBe(true);
    expect(await viewAs(server.url, ben, bens)).toMatchObject({ likeCount: 1 });
    await expect(page.getByTestId('pending-count')).toHaveCount(0);

    // Ben signs out; Ana signs in again, and her writes go, as hers.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);
    await signInViaForm(page, ana.email, ana.password);
    await expect.poll(() => workerQueue(page), { timeout: 20_000 }).toEqual([]);
    await expect.poll(async () => (await viewAs(server.url, ana, bens)).viewer.liked, { timeout: 20_000 }).toBe(true);
    const created = await titlesSeenBy(server.url, ana);
    expect(created).toContain(anasTitle);
    await context.close();
  } finally {
    await server.dispose();
  }
});
