import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { mulberry32 } from '../../bench/seed-large';
import { api, loginApiUser, registerApiUser, type ApiUser } from './api-client';
import { inFuture } from './fixtures';
import { readLocalRows, serverTruth } from './local-db';
import { ServerProcess } from './server-process';

interface Player {
  api: ApiUser;
  context: BrowserContext;
  page: Page | null;
  online: boolean;
}

interface KnownActivity {
  id: string;
  title: string;
  ownerId: string;
  liked: boolean;
  joined: boolean;
  full: boolean;
}

/** What this device knows, read from its own database: offline, that is all a user can act on. */
async function knownActivities(page: Page, me: string): Promise<KnownActivity[]> {
  const rows = await readLocalRows(page, me);
  const parsed = rows.map((row) => ({ key: row.slice(0, row.indexOf('@')), data: JSON.parse(row.slice(row.indexOf('@') + 1)) as Record<string, unknown> }));
  const has = (key: string) => parsed.some((row) => row.key === key);
  return parsed
    .filter((row) => row.key.startsWith('activity/'))
    .map(({ data }) => ({
      id: String(data.id),
      title: String(data.title),
      ownerId: String(data.ownerId),
      liked: has(`like/${String(data.id)}:${me}`),
      joined: has(`member/${String(data.id)}:${me}`),
      full: data.capacity !== null && Number(data.memberCount) >= Number(data.capacity),
    }));
}

/**
 * Goes to a screen as this player. A refresh whose answer the network swallowed (the test cuts
 * it at random) leaves the browser with a rotated refresh token, and presenting it again ends
 * the session by design (reuse detection): the user signs in again, as a real one would, and
 * everything on the device and in its outbox carries on.
 */
async function visit(player: Player, page: Page, path: string): Promise<void> {
  await page.goto(path);
  const signIn = page.getByRole('button', { name: 'Sign in' });
  await expect(signIn.or(page.getByTestId('connection')).first()).toBeVisible();
  if (!(await signIn.isVisible())) return;
  console.log(`${player.api.displayName} was signed out; signing in again`);
  if (!player.online) {
    player.online = true;
    await player.context.setOffline(false);
  }
  await page.getByLabel('Email').fill(player.api.email);
  await page.getByLabel('Password').fill(player.api.password);
  await signIn.click();
  await expect(page.getByTestId('connection')).toBeVisible();
  await page.goto(path);
}

/**
 * Opens an activity this device knew of a moment ago. Sync may have removed it meanwhile (deleted,
 * or no longer visible): then there is nothing to do, as for a real user.
 */
async function openIfStillThere(player: Player, page: Page, activityId: string): Promise<boolean> {
  await visit(player, page, `/activities/${activityId}`);
  const shown = page.getByRole('button', { name: /^(Like|Unlike)$/ });
  const gone = page.getByText("This activity isn't available");
  const crashed = page.getByRole('heading', { name: 'Something went wrong' });
  await expect(shown.or(gone).or(crashed).first()).toBeVisible();
  if (await crashed.isVisible()) throw new Error(`the activity screen crashed: ${await page.content()}`);
  return shown.isVisible();
}

/** How far this device's mutations got: its client id and the last id it handed out. */
async function clientState(page: Page, me: string): Promise<{ clientId: string; lastMutationId: number } | null> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    if (!db.objectStoreNames.contains('clientState')) {
      db.close();
      return null;
    }
    const row = await new Promise<{ clientId: string; lastMutationId: number } | undefined>((resolve) => {
      const request = db.transaction('clientState').objectStore('clientState').get('client');
      request.onsuccess = () => resolve(request.result as { clientId: string; lastMutationId: number } | undefined);
    });
    db.close();
    return row ?? null;
  }, `rally-user-${me}`);
}

test('three users writing online and offline, closing pages, while the server restarts, all converge', async ({ browser }) => {
  test.setTimeout(300_000);
  const seed = Number(process.env.RALLY_SEED ?? Math.floor(Math.random() * 1_000_000));
  console.log(`convergence seed ${seed} (replay: RALLY_SEED=${seed} npx playwright test convergence)`);
  const random = mulberry32(seed);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  const server = await ServerProcess.onFreePort();
  await server.start();
  const players: Player[] = [];
  try {
    for (const name of ['Ana', 'Ben', 'Cleo']) {
      const user = await registerApiUser(server.url, name);
      const context = await browser.newContext({ baseURL: server.url });
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill(user.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByTestId('connection')).toHaveText('Online');
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      players.push({ api: user, context, page, online: true });
    }

    const steps = 24;
    for (let step = 0; step < steps; step++) {
      if (step === Math.floor(steps / 2)) {
        console.log(`step ${step}: restarting the server`);
        await server.restart();
      }
      const player = pick(players);
      // Networks come and go, and pages are closed and opened again.
      if (random() < 0.35) {
        player.online = !player.online;
        await player.context.setOffline(!player.online);
      }
      if (random() < 0.15 && player.page) {
        console.log(`step ${step}: ${player.api.displayName} closes the page`);
        await player.page.close();
        player.page = null;
        continue;
      }
      if (!player.page) {
        player.page = await player.context.newPage();
        await visit(player, player.page, '/');
      }
      const page = player.page;
      const me = player.api.id;
      const known = await knownActivities(page, me);
      const own = known.filter((a) => a.ownerId === me);
      const others = known.filter((a) => a.ownerId !== me);
      const action = pick(['create', 'create', 'edit', 'delete', 'like', 'like', 'join', 'join'] as const);
      console.log(`step ${step}: ${player.api.displayName} (${player.online ? 'online' : 'offline'}) ${action}`);

      if (action === 'create' || (action === 'edit' && own.length === 0) || (action === 'delete' && own.length < 2)) {
        const title = `${player.api.displayName} plan ${step} (${seed})`;
        await visit(player, page, '/activities/new');
        await page.getByLabel('Title').fill(title);
        await page.getByLabel('Starts').fill(inFuture(24 + step));
        if (random() < 0.25) await page.getByLabel('Private').check();
        await page.getByRole('button', { name: 'Create activity' }).click();
        await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
      } else if (action === 'edit') {
        const target = pick(own);
        const title = `${target.title.replace(/ · edited.*/, '')} · edited ${step}`;
        await visit(player, page, `/activities/${target.id}/edit`);
        await page.getByLabel('Title').fill(title);
        await page.getByRole('button', { name: 'Save changes' }).click();
        await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
      } else if (action === 'delete') {
        const target = pick(own);
        if (!(await openIfStillThere(player, page, target.id))) continue;
        await page.getByRole('button', { name: 'Delete' }).click({ timeout: 15_000 });
        await page.getByRole('button', { name: 'Confirm delete' }).click({ timeout: 15_000 });
        await expect(page).toHaveURL(/\/$/);
      } else {
        const pool = action === 'like' ? known : others.filter((a) => a.joined || !a.full);
        if (pool.length === 0) continue;
        const target = pick(pool);
        if (!(await openIfStillThere(player, page, target.id))) continue;
        const [from, to] = action === 'like' ? (target.liked ? ['Unlike', 'Like'] : ['Like', 'Unlike']) : target.joined ? ['Leave', 'Join'] : ['Join', 'Leave'];
        const button = page.getByRole('button', { name: from, exact: true });
        // A pull may have changed its state since it was picked (someone filled it, say).
        if (!(await button.isVisible())) continue;
        await button.click();
        await expect(page.getByRole('button', { name: to, exact: true }).or(page.getByText("This activity isn't available"))).toBeVisible();
      }
    }

    // Everyone back online with a page open: the outboxes drain, and each device must then hold
    // exactly what the server says its user may see.
    for (const player of players) {
      if (!player.online) await player.context.setOffline(false);
      player.online = true;
      player.page ??= await player.context.newPage();
      await visit(player, player.page, '/');
    }
    for (const player of players) {
      const page = player.page!;
      // Nothing lost: every mutation this device made has been settled by the server (applied,
      // or refused for a reason the user is shown, e.g. liking what someone just deleted).
      await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 60_000 });
      const state = await clientState(page, player.api.id);
      const fresh = await loginApiUser(server.url, player.api);
      if (state) {
        const sync = await api<{ lastMutationId: number }>(server.url, fresh, 'GET', `/api/sync?limit=1&clientId=${state.clientId}`);
        expect(sync.lastMutationId, `${player.api.displayName}'s mutations reached the server`).toBeGreaterThan(0);
        const unsettled = await page.evaluate(async (name) => {
          const db = await new Promise<IDBDatabase>((resolve) => {
            const request = indexedDB.open(name);
            request.onsuccess = () => resolve(request.result);
          });
          const entries = await new Promise<{ mutationId: number; status: string }[]>((resolve) => {
            const request = db.transaction('outbox').objectStore('outbox').getAll();
            request.onsuccess = () => resolve(request.result as { mutationId: number; status: string }[]);
          });
          db.close();
          return entries.filter((entry) => entry.status === 'pending').map((entry) => entry.mutationId);
        }, `rally-user-${player.api.id}`);
        expect(unsettled, `${player.api.displayName}'s outbox`).toEqual([]);
      }
      const truth = await serverTruth(server.url, fresh.token);
      await expect
        .poll(() => readLocalRows(page, player.api.id), { timeout: 30_000, message: `${player.api.displayName}'s device` })
        .toEqual(truth);
    }
    // Nothing applied twice: every create exists once.
    const ana = await loginApiUser(server.url, players[0]!.api);
    const feed = (await api<{ items: { title: string }[] }>(server.url, ana, 'GET', '/api/activities?limit=100')).items;
    const titles = feed.map((a) => a.title.replace(/ · edited.*/, ''));
    expect(new Set(titles).size).toBe(titles.length);
  } finally {
    for (const player of players) await player.context.close().catch(() => undefined);
    await server.dispose();
  }
});
