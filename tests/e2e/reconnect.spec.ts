import { expect, test } from '@playwright/test';
import { api, loginApiUser, registerApiUser } from './api-client';
import { ServerProcess } from './server-process';

test('after a server restart the page reconnects by itself, attempts at most 5 s apart, and catches up', async ({ browser }) => {
  test.setTimeout(120_000);
  const server = await ServerProcess.onFreePort();
  await server.start();
  const context = await browser.newContext({ baseURL: server.url });
  try {
    const ana = await registerApiUser(server.url, 'Ana');
    const dan = await registerApiUser(server.url, 'Dan');
    const { id: roomId } = await api<{ id: string }>(server.url, dan, 'POST', '/api/activities', {
      title: `Room ${Date.now()}`,
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await api(server.url, ana, 'POST', `/api/activities/${roomId}/join`);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(ana.email);
    await page.getByLabel('Password').fill(ana.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('connection')).toHaveText('Online');

    // Record when each attempt starts, from the banner the user sees.
    await page.evaluate(() => {
      const seen: { attempt: number; at: number }[] = [];
      (window as unknown as { attempts: typeof seen }).attempts = seen;
      new MutationObserver(() => {
        const match = /attempt (\d+)/.exec(document.querySelector('[data-testid="reconnecting"]')?.textContent ?? '');
        const attempt = match ? Number(match[1]) : 0;
        if (attempt > 0 && seen.at(-1)?.attempt !== attempt) seen.push({ attempt, at: performance.now() });
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    await server.stop();
    await expect(page.getByTestId('reconnecting')).toHaveText(/Reconnecting… \(attempt \d+\)/);
    // Long enough for the backoff to reach its ceiling.
    await expect.poll(() => page.evaluate(() => (window as unknown as { attempts: unknown[] }).attempts.length), { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
    await server.start();
    // Something happened while the page was away: it must show up without a reload.
    const title = `While you were away ${Date.now()}`;
    const other = await registerApiUser(server.url, 'Ben');
    await api(server.url, other, 'POST', '/api/activities', { title, startsAt: new Date(Date.now() + 86_400_000).toISOString() });
    const danAgain = await loginApiUser(server.url, dan);
    await api(server.url, danAgain, 'POST', '/api/mutations', {
      clientId: crypto.randomUUID(),
      mutationId: 1,
      createdAt: new Date().toISOString(),
      name: 'message.send',
      args: { id: crypto.randomUUID(), conversationId: roomId, body: 'Sent while you were reconnecting', kind: 'text' },
    });

    await expect(page.getByTestId('reconnecting')).toHaveCount(0, { timeout: 15_000 });
    await expect(page.getByTestId('connection')).toHaveText('Online');
    await expect(page.getByTestId('activity-card').filter({ hasText: title })).toBeVisible();

    const attempts = await page.evaluate(() => (window as unknown as { attempts: { attempt: number; at: number }[] }).attempts);
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at);
    console.log(`reconnect attempts ${attempts.length}, gaps (ms): ${gaps.map((g) => Math.round(g)).join(', ')}`);
    // Never more than 5 s between two attempts, the refused attempt's own round trip included.
    for (const gap of gaps) expect(gap).toBeLessThanOrEqual(5_000);
    // The message missed while disconnected is there too.
    await expect(page.getByTestId('unread-total')).toHaveText('1');
    await page.goto(`/chat/${roomId}`);
    await expect(page.getByTestId('message').filter({ hasText: 'Sent while you were reconnecting' })).toBeVisible();
  } finally {
    await context.close();
    await server.dispose();
  }
});

test('while the browser is offline the page makes no attempts, and tries at once when it is back', async ({ browser }) => {
  const server = await ServerProcess.onFreePort();
  await server.start();
  const context = await browser.newContext({ baseURL: server.url });
  try {
    const ana = await registerApiUser(server.url, 'Cleo');
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(ana.email);
    await page.getByLabel('Password').fill(ana.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('connection')).toHaveText('Online');

    let socketRequests = 0;
    page.on('request', (request) => {
      if (request.url().includes('/socket.io/')) socketRequests++;
    });
    await context.setOffline(true);
    await expect(page.getByTestId('connection')).toHaveText('Offline');
    await page.waitForTimeout(4_000);
    expect(socketRequests).toBe(0);
    await expect(page.getByTestId('reconnecting')).toHaveCount(0);

    const back = Date.now();
    await context.setOffline(false);
    await expect(page.getByTestId('connection')).toHaveText('Online');
    expect(Date.now() - back).toBeLessThan(3_000);
  } finally {
    await context.close();
    await server.dispose();
  }
});
