import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { mulberry32 } from '../../bench/seed-large';
import { api, loginApiUser, registerApiUser, type ApiUser } from './api-client';
import { inFuture } from './fixtures';
import { readLocalRows, serverTruth } from './local-db';
import { ServerProcess } from './server-process';

interface Player {
  api: ApiUser;
  context: BrowserContext;
  page: Page;
  online: boolean;
}

interface ListedActivity {
  id: string;
  title: string;
  ownerId: string;
  viewer: { liked: boolean; joined: boolean; isOwner: boolean };
  capacity: number | null;
  memberCount: number;
}

test('three users writing while others drop off and the server restarts all converge to the server', async ({ browser }) => {
  test.setTimeout(240_000);
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
      players.push({ api: user, context, page, online: true });
    }

    const created: string[] = [];
    const steps = 20;
    for (let step = 0; step < steps; step++) {
      if (step === Math.floor(steps / 2)) {
        console.log(`step ${step}: restarting the server`);
        await server.restart();
      }
      // Someone else's network comes and goes.
      const flaky = pick(players);
      if (random() < 0.5) {
        flaky.online = !flaky.online;
        await flaky.context.setOffline(!flaky.online);
      }
      const writers = players.filter((p) => p.online);
      if (writers.length === 0) continue;
      const writer = pick(writers);
      const visible = (await api<{ items: ListedActivity[] }>(server.url, writer.api, 'GET', '/api/activities?limit=100')).items;
      const own = visible.filter((a) => a.viewer.isOwner);
      const others = visible.filter((a) => !a.viewer.isOwner);
      const action = pick(['create', 'create', 'edit', 'delete', 'like', 'like', 'join', 'join'] as const);
      const page = writer.page;
      console.log(`step ${step}: ${writer.api.displayName} ${action}`);

      if (action === 'create' || (action === 'edit' && own.length === 0) || (action === 'delete' && own.length < 2)) {
        const title = `${writer.api.displayName} plan ${step} (${seed})`;
        created.push(title);
        await page.goto('/activities/new');
        await page.getByLabel('Title').fill(title);
        await page.getByLabel('Starts').fill(inFuture(24 + step));
        if (random() < 0.25) await page.getByLabel('Private').check();
        await page.getByRole('button', { name: 'Create activity' }).click();
        await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
      } else if (action === 'edit') {
        const target = pick(own);
        const title = `${target.title.replace(/ · edited.*/, '')} · edited ${step}`;
        await page.goto(`/activities/${target.id}/edit`);
        await page.getByLabel('Title').fill(title);
        await page.getByRole('button', { name: 'Save changes' }).click();
        await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
      } else if (action === 'delete') {
        const target = pick(own);
        await page.goto(`/activities/${target.id}`);
        await page.getByRole('button', { name: 'Delete' }).click();
        await page.getByRole('button', { name: 'Confirm delete' }).click();
        await expect(page).toHaveURL(/\/$/);
      } else {
        const pool = action === 'like' ? visible : others.filter((a) => a.viewer.joined || a.capacity === null || a.memberCount < a.capacity);
        if (pool.length === 0) continue;
        const target = pick(pool);
        await page.goto(`/activities/${target.id}`);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        if (action === 'like') {
          const next = target.viewer.liked ? 'Like' : 'Unlike';
          await page.getByRole('button', { name: target.viewer.liked ? 'Unlike' : 'Like' }).click();
          await expect(page.getByRole('button', { name: next })).toBeVisible();
        } else {
          const next = target.viewer.joined ? 'Join' : 'Leave';
          await page.getByRole('button', { name: target.viewer.joined ? 'Leave' : 'Join' }).click();
          await expect(page.getByRole('button', { name: next })).toBeVisible();
        }
      }
    }

    // Everyone back online: each device must hold exactly what the server says its user may see.
    for (const player of players) {
      if (!player.online) await player.context.setOffline(false);
      player.online = true;
    }
    for (const player of players) {
      const fresh = await loginApiUser(server.url, player.api);
      const truth = await serverTruth(server.url, fresh.token);
      await expect
        .poll(() => readLocalRows(player.page, player.api.id), { timeout: 30_000, message: `${player.api.displayName}'s device` })
        .toEqual(truth);
    }
    // Every create landed once: no duplicates on the server either.
    const ana = await loginApiUser(server.url, players[0]!.api);
    const feed = (await api<{ items: ListedActivity[] }>(server.url, ana, 'GET', '/api/activities?limit=100')).items;
    const titles = feed.map((a) => a.title.replace(/ · edited.*/, ''));
    expect(new Set(titles).size).toBe(titles.length);
  } finally {
    for (const player of players) await player.context.close().catch(() => undefined);
    await server.dispose();
  }
});
