import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { api, loginApiUser, registerApiUser, type ApiUser } from './api-client';
import { inFuture, signedInDevice } from './fixtures';
import { readClientState } from './local-db';
import { readMutationRecords } from './server-records';
import { ServerProcess } from './server-process';

/**
 * Issue 13: an update reaches an open page. Two real builds that differ only in their label (so
 * their workers differ byte for byte: the precache manifest names other chunks), one server that
 * serves the first and then, like a deploy, the second. Writes made offline under the old version
 * are still queued when the user accepts the update, and land once each under the new one.
 */

const LABEL_A = 'update-flow A';
const LABEL_B = 'update-flow B';

let buildsDir = '';
let buildA = '';
let buildB = '';

function buildInto(outDir: string, label: string): void {
  const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    env: { ...process.env, RALLY_BUILD_LABEL: label },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`vite build (${label}) failed:\n${result.stdout}\n${result.stderr}`);
}

test.beforeAll(() => {
  test.setTimeout(180_000);
  buildsDir = mkdtempSync(path.join(tmpdir(), 'rally-update-builds-'));
  buildA = path.join(buildsDir, 'a');
  buildB = path.join(buildsDir, 'b');
  buildInto(buildA, LABEL_A);
  buildInto(buildB, LABEL_B);
});

test.afterAll(() => {
  if (buildsDir) rmSync(buildsDir, { recursive: true, force: true });
});

const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' });
const messages = (page: Page) => page.getByRole('log', { name: 'Messages' }).getByTestId('message');

/** The network is back, but no write gets through to the server (single and batched replays alike). */
const blockWrites = (context: BrowserContext) => context.route((url) => url.pathname.startsWith('/api/mutations'), (route) => route.abort('connectionrefused'));
const unblockWrites = (context: BrowserContext) => context.unrouteAll({ behavior: 'wait' });

async function buildLabelShown(page: Page): Promise<string> {
  await page.goto('/settings');
  const label = page.getByTestId('build-label');
  await expect(label).toBeVisible();
  return (await label.textContent()) ?? '';
}

/** Who controls the page, seen from the page: the registration's active worker, nothing waiting. */
function workerState(page: Page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    const controller = navigator.serviceWorker.controller;
    return {
      controlledByActive: controller !== null && controller === registration?.active,
      activeState: registration?.active?.state ?? null,
      waiting: registration?.waiting !== null && registration?.waiting !== undefined,
    };
  });
}

test('a waiting worker is offered, Reload activates the new build, and writes queued under the old one land once each, and an unsent message is kept', async ({ browser }) => {
  // About a minute alone; several on a shared, loaded 2-core machine (three page loads, two worker installs).
  test.setTimeout(300_000);
  // What the server serves: build A now, build B copied over it later (as a deploy leaves files).
  // The static route looks files up per request, so the running server serves B at once.
  const servedDir = mkdtempSync(path.join(tmpdir(), 'rally-update-served-'));
  cpSync(buildA, servedDir, { recursive: true });
  const server = await ServerProcess.onFreePort({ env: { STATIC_DIR: servedDir } });
  await server.start();
  let context: BrowserContext | null = null;
  try {
    const baseUrl = server.url;
    const ana: ApiUser = await registerApiUser(baseUrl, 'Ana');
    const ben: ApiUser = await registerApiUser(baseUrl, 'Ben');
    const stamp = Date.now();
    const climbTitle = `Ben's climb ${stamp}`;
    const { id: climbId } = await api<{ id: string }>(baseUrl, ben, 'POST', '/api/activities', {
      title: climbTitle,
      startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString(),
    });
    await api(baseUrl, ana, 'POST', `/api/activities/${climbId}/join`);

    context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 390, height: 844 } });
    const page = await signedInDevice(context, ana);
    expect(await buildLabelShown(page)).toBe(`Version ${LABEL_A}`);
    await expect(page.getByRole('button', { name: 'Reload' })).toHaveCount(0);
    await page.goto(`/chat/${climbId}`);
    await expect(page.getByTestId('connection')).toHaveText(/Online/);

    // Offline under build A: a message, a like and a new activity, all kept for later.
    await context.setOffline(true);
    await expect(page.getByTestId('connection')).toHaveText('Offline');
    const message = `See you at the wall ${stamp}`;
    await composer(page).fill(message);
    await composer(page).press('Enter');
    await expect(messages(page).filter({ hasText: message })).toHaveAttribute('data-status', 'pending');
    await page.goto(`/activities/${climbId}`);
    await expect(page.getByRole('heading', { level: 1, name: climbTitle })).toBeVisible();
    await page.getByRole('button', { name: 'Like' }).click();
    await expect(page.getByRole('button', { name: 'Unlike' })).toBeVisible();
    const picnic = `Offline picnic ${stamp}`;
    await page.getByRole('link', { name: 'New activity' }).click();
    await page.getByLabel('Title').fill(picnic);
    await page.getByLabel('Starts').fill(inFuture(30));
    await page.getByRole('button', { name: 'Create activity' }).click();
    await expect(page.getByRole('heading', { level: 1, name: picnic })).toBeVisible();
    await expect(page.getByTestId('pending-count')).toHaveText('3 pending');
    // A message begun and not sent: the update must not lose it.
    const draft = `Bring the blue rope ${stamp}`;
    await page.goto(`/chat/${climbId}`);
    await composer(page).fill(draft);

    // The deploy: build B replaces A on the server. The network comes back, but writes do not get
    // through yet (a flaky edge), so they are still queued when the update is taken.
    cpSync(buildB, servedDir, { recursive: true, force: true });
    await blockWrites(context);
    await context.setOffline(false);
    await expect(page.getByTestId('connection')).toHaveText(/Online/);

    // The hourly check, now: the browser fetches /sw.js, finds B's, installs it; it waits.
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    const prompt = page.getByRole('status').filter({ hasText: 'Update available' });
    await expect(prompt).toBeVisible({ timeout: 30_000 });
    expect(await workerState(page)).toMatchObject({ waiting: true });
    // Nothing has reached the server: the writes cross the update still queued.
    expect(readMutationRecords(server.dataDir, ana.id)).toEqual([]);
    await expect(page.getByTestId('pending-count')).toHaveText('3 pending');

    const reloaded = page.waitForEvent('load', { timeout: 30_000 });
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await expect(composer(page)).toHaveValue(draft);
    await expect(page.getByTestId('pending-count')).toHaveText('3 pending');
    await expect(page.getByRole('button', { name: 'Reload' })).toHaveCount(0);
    expect(await workerState(page)).toEqual({ controlledByActive: true, activeState: 'activated', waiting: false });
    expect(await buildLabelShown(page)).toBe(`Version ${LABEL_B}`);

    // The edge lets writes through: B's page and worker send what A's queued, once each, in order.
    await unblockWrites(context);
    await context.setOffline(true);
    await context.setOffline(false);
    await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 30_000 });
    await expect(page.getByTestId('refusal-notice')).toHaveCount(0);
    const state = await readClientState(page, ana.id);
    const records = readMutationRecords(server.dataDir, ana.id);
    expect(records.every((record) => record.clientId === state?.clientId)).toBe(true);
    expect(records.map((record) => `${record.mutationId} ${record.name} ${record.httpStatus}`)).toEqual([
      '1 message.send 200',
      '2 activity.like 200',
      '3 activity.create 200',
    ]);
    expect(state?.lastMutationId).toBe(3);
    // And what they did, as the server shows it to anyone.
    const fresh = await loginApiUser(baseUrl, ana);
    const { items } = await api<{ items: { title: string }[] }>(baseUrl, fresh, 'GET', '/api/activities?limit=100');
    expect(items.filter((activity) => activity.title === picnic)).toHaveLength(1);
    expect(await api<{ likeCount: number }>(baseUrl, fresh, 'GET', `/api/activities/${climbId}`)).toMatchObject({ likeCount: 1 });
    const chat = await api<{ messages: { body: string }[] }>(baseUrl, ben, 'GET', `/api/conversations/${climbId}/messages?before=9007199254740991`);
    expect(chat.messages.filter((m) => m.body === message)).toHaveLength(1);

    // B's worker holds B's shell: offline, a reload still opens build B.
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId('build-label')).toHaveText(`Version ${LABEL_B}`);
  } finally {
    await context?.close();
    await server.dispose();
    rmSync(servedDir, { recursive: true, force: true });
  }
});
