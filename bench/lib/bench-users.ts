import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { directConversationId, newRowId } from '../../protocol';

export type BenchUser = Awaited<ReturnType<typeof registerViaApi>>;

/** Registers a user through the real API; the email is derived from the name, so sign in with it. */
export async function registerViaApi(url: string, name: string) {
  const email = `${name.toLowerCase()}@bench.test`;
  const password = 'bench password 1';
  const response = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, displayName: name }),
  });
  if (!response.ok) throw new Error(`registering ${name} answered ${response.status}`);
  const body = (await response.json()) as { accessToken: string; user: { id: string } };
  return { email, password, token: body.accessToken, id: body.user.id };
}

/** Two new users with a direct conversation between them, opened by the first through the real API. */
export async function twoUsersInADirectChat(url: string): Promise<{ ana: BenchUser; ben: BenchUser; conversationId: string }> {
  const [ana, ben] = [await registerViaApi(url, `Ana${Date.now()}`), await registerViaApi(url, `Ben${Date.now()}`)];
  const conversationId = await directConversationId(ana.id, ben.id);
  const opened = await fetch(`${url}/api/mutations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ana.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: randomUUID(), mutationId: 1, createdAt: new Date().toISOString(), name: 'conversation.open', args: { id: conversationId, peerId: ben.id } }),
  });
  if (!opened.ok) throw new Error(`conversation.open answered ${opened.status}`);
  return { ana, ben, conversationId };
}

/** Signs `user` in on `page` through the form and opens the conversation, once its socket is up. */
export async function openChatSignedIn(page: Page, url: string, user: BenchUser, conversationId: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto(`${url}/chat/${conversationId}`);
  await page.locator('#chat-title').waitFor();
  // The socket must be up before the first press, or nothing has anything to travel on.
  await page.waitForFunction(() => document.querySelector('[data-testid="connection"]')?.textContent?.includes('Online'), undefined, { timeout: 30_000, polling: 100 });
}

/**
 * A user with an activity of their own and a few messages in its chat, made through the real API:
 * what bench/lighthouse audits and bench/page-load loads.
 */
export async function userWithActivityAndChat(url: string, name: string): Promise<BenchUser & { activityId: string }> {
  const user = await registerViaApi(url, name);
  const clientId = randomUUID();
  let mutationId = 0;
  const mutate = async (mutation: string, args: unknown) => {
    const response = await fetch(`${url}/api/mutations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ clientId, mutationId: ++mutationId, name: mutation, createdAt: new Date().toISOString(), args }),
    });
    if (!response.ok) throw new Error(`${mutation} answered ${response.status}: ${await response.text()}`);
  };
  const activityId = newRowId();
  await mutate('activity.create', {
    id: activityId,
    fields: { title: 'Sunrise run by the river', location: 'North gate', description: 'An easy 5 km, coffee after.', startsAt: new Date(Date.now() + 86_400_000).toISOString() },
  });
  for (const body of ['Who is in for tomorrow?', 'Meet at the north gate at 6:30', 'Bring water, it gets warm'])
    await mutate('message.send', { id: newRowId(), conversationId: activityId, body });
  return { ...user, activityId };
}
