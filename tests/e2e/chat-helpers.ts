import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { api, type ApiUser } from './api-client';
import { signInViaForm } from './fixtures';

/** What the chat specs share: a signed-in phone, a room, the composer and the message list. */

export interface Device {
  context: BrowserContext;
  page: Page;
}

/** A phone-sized browser context signed in as `user` (through the form, as a person would). */
export async function deviceOf(browser: Browser, user: ApiUser, options: { baseURL?: string } = {}): Promise<Device> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, ...(options.baseURL ? { baseURL: options.baseURL } : {}) });
  const page = await context.newPage();
  await signInViaForm(page, user.email, user.password);
  return { context, page };
}

/** An activity owned by `owner` that `members` have joined; its id is its room's conversation id. */
export async function roomWith(baseUrl: string, owner: ApiUser, members: ApiUser[], title = `Bouldering ${Date.now()}`): Promise<string> {
  const { id } = await api<{ id: string }>(baseUrl, owner, 'POST', '/api/activities', {
    title,
    startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString(),
  });
  for (const member of members) await api(baseUrl, member, 'POST', `/api/activities/${id}/join`);
  return id;
}

export const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' });
export const messages = (page: Page) => page.getByRole('log', { name: 'Messages' }).getByTestId('message');

/** Opens a conversation (a full page load) and waits for the live connection: typing before it is up is not sent. */
export async function openChat(page: Page, conversationId: string): Promise<void> {
  await page.goto(`/chat/${conversationId}`);
  await expect(page.getByTestId('connection')).toHaveText(/Online/);
}

/** `count` messages from `sender` into a conversation, written by a device of theirs that is not under test. */
export async function sendThroughApi(baseUrl: string, sender: ApiUser, conversationId: string, count: number, bodyOf: (n: number) => string): Promise<void> {
  const clientId = crypto.randomUUID();
  for (let i = 1; i <= count; i++) {
    await api(baseUrl, sender, 'POST', '/api/mutations', {
      clientId,
      mutationId: i,
      createdAt: new Date().toISOString(),
      name: 'message.send',
      args: { id: crypto.randomUUID(), conversationId, body: bodyOf(i), kind: 'text' },
    });
  }
}

/** Types `text` into the composer and sends it with Enter. */
export async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
  await expect(composer(page)).toHaveValue('');
}
