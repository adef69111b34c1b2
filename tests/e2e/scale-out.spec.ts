import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { api, registerApiUser } from './api-client';
import { composer, messages, openChat } from './chat-helpers';
import { signInViaForm } from './fixtures';
import { ServerProcess } from './server-process';
import { createThrowawayPostgresDatabase } from '../support/throwaway-postgres';

/**
 * Issue 6, scale-out: two Rally processes on one Postgres database and one Redis. Ana is
 * connected to one, Ben to the other; chat, typing, presence and check-in counts cross over.
 */

const ADMIN_URL = process.env.RALLY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.RALLY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

test('two server processes on one Postgres and Redis: chat, typing, presence and check-ins cross between them', async ({ browser }) => {
  test.setTimeout(120_000);
  const database = await createThrowawayPostgresDatabase(ADMIN_URL);
  // Both processes must sign and check the same tokens.
  const env = { DATABASE_URL: database.url, REDIS_URL, JWT_SECRET: randomBytes(32).toString('hex') };
  const [east, west] = [await ServerProcess.onFreePort({ env }), await ServerProcess.onFreePort({ env })];
  try {
    await east.start();
    await west.start();
    const anaUser = await registerApiUser(east.url, 'Ana');
    const benUser = await registerApiUser(west.url, 'Ben');
    const title = `Across processes ${Date.now()}`;
    const { id: roomId } = await api<{ id: string }>(east.url, anaUser, 'POST', '/api/activities', {
      title,
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await api(west.url, benUser, 'POST', `/api/activities/${roomId}/join`);

    const anaContext = await browser.newContext({ baseURL: east.url });
    const benContext = await browser.newContext({ baseURL: west.url });
    const [ana, ben] = [await anaContext.newPage(), await benContext.newPage()];
    await signInViaForm(ana, anaUser.email, anaUser.password);
    await signInViaForm(ben, benUser.email, benUser.password);

    await openChat(ana, roomId);
    await openChat(ben, roomId);
    await expect(ana.getByTestId('attendance')).toHaveText('0 checked in');

    await composer(ana).pressSequentially('Hello from the east', { delay: 20 });
    await expect(ben.getByTestId('typing')).toHaveText('Ana is typing…');
    await composer(ana).press('Enter');
    await expect(messages(ben).filter({ hasText: 'Hello from the east' })).toBeVisible();
    await composer(ben).fill('Hello from the west');
    await composer(ben).press('Enter');
    await expect(messages(ana).filter({ hasText: 'Hello from the west' })).toBeVisible();
    await expect(messages(ana).filter({ hasText: 'Hello from the east' }).getByTestId('message-status')).toHaveText(/Read/);

    await ben.goto(`/activities/${roomId}`);
    await ben.getByRole('button', { name: 'Check in' }).click();
    await expect(ana.getByTestId('attendance')).toHaveText('1 checked in');

    // Presence is kept in Redis: Ana's process knows Ben is on the other one, and when he leaves.
    await ana.goto(`/activities/${roomId}`);
    await ana.getByRole('button', { name: 'Message Ben' }).click();
    await expect(ana.getByTestId('presence')).toHaveAttribute('data-status', 'online');
    const closedAt = Date.now();
    await benContext.close();
    await expect(ana.getByTestId('presence')).toHaveAttribute('data-status', 'offline', { timeout: 10_000 });
    expect(Date.now() - closedAt).toBeLessThan(10_000);
    await anaContext.close();
  } finally {
    await east.dispose();
    await west.dispose();
    await database.drop();
  }
});
