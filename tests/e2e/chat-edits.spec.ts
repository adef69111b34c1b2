import { expect, test, type Browser, type Page } from '@playwright/test';
import { api, registerApiUser, type ApiUser } from './api-client';
import { composer, openChat, type Device } from './chat-helpers';
import { signInViaForm, waitForServiceWorker } from './fixtures';

/**
 * Issue 15, messages: edit, delete for everyone, delete for me, reactions and replies, made offline
 * on one device while another device of the same person and someone else act online; once the
 * offline device is back, every device shows what the rules say.
 */

const sharedUrl = () => test.info().project.use.baseURL ?? '';

async function deviceOf(browser: Browser, user: ApiUser): Promise<Device> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signInViaForm(page, user.email, user.password);
  await waitForServiceWorker(page);
  return { context, page };
}

const messageOf = (page: Page, id: string) => page.getByRole('log', { name: 'Messages' }).locator(`[data-message-id="${id}"]`);
const bodyOf = (page: Page, id: string) => messageOf(page, id).locator('> p.message-body');

/** Sends a message through the API (as another client would) and returns its id. */
async function post(base: string, user: ApiUser, conversationId: string, body: string, replyToId?: string): Promise<string> {
  const id = crypto.randomUUID();
  await api(base, user, 'POST', '/api/mutations', {
    clientId: crypto.randomUUID(),
    mutationId: 1,
    createdAt: new Date().toISOString(),
    name: 'message.send',
    args: { id, conversationId, body, kind: 'text', ...(replyToId ? { replyToId } : {}) },
  });
  return id;
}

async function menu(page: Page, id: string, action: string): Promise<void> {
  await messageOf(page, id).getByTestId('message-actions').click();
  await messageOf(page, id).getByRole('menuitem', { name: action, exact: true }).click();
}

async function edit(page: Page, id: string, text: string): Promise<void> {
  await menu(page, id, 'Edit');
  await expect(page.getByTestId('editing')).toBeVisible();
  await composer(page).fill(text);
  await composer(page).press('Enter');
  await expect(page.getByTestId('editing')).toHaveCount(0);
}

async function react(page: Page, id: string, emoji: string): Promise<void> {
  await menu(page, id, 'React');
  await messageOf(page, id).getByRole('button', { name: `React with ${emoji}` }).click();
}

async function deleteForEveryone(page: Page, id: string): Promise<void> {
  await menu(page, id, 'Delete for everyone');
  await messageOf(page, id).getByRole('button', { name: 'Delete', exact: true }).click();
}

async function reply(page: Page, id: string, text: string): Promise<void> {
  await menu(page, id, 'Reply');
  await expect(page.getByTestId('replying')).toBeVisible();
  await composer(page).fill(text);
  await composer(page).press('Enter');
  await expect(page.getByTestId('replying')).toHaveCount(0);
}

const reaction = (page: Page, id: string, emoji: string) => messageOf(page, id).locator(`[data-testid="reaction"][data-emoji="${emoji}"]`);

test('edits, deletes, reactions and replies made offline and online at once converge on every device', async ({ browser }) => {
  test.setTimeout(180_000);
  const base = sharedUrl();
  const [anaUser, benUser] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben')];
  const { id: roomId } = await api<{ id: string }>(base, anaUser, 'POST', '/api/activities', {
    title: `Gorge walk ${Date.now()}`,
    startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString(),
  });
  await api(base, benUser, 'POST', `/api/activities/${roomId}/join`);
  const gate = await post(base, anaUser, roomId, 'Meet at the gate');
  const race = await post(base, anaUser, roomId, 'Start at 8');
  const doomed = await post(base, anaUser, roomId, 'Parking is free');
  const edited = await post(base, anaUser, roomId, 'Bring poles');
  const rope = await post(base, benUser, roomId, 'I have a rope');
  const oops = await post(base, benUser, roomId, 'Wrong chat, sorry');
  const noise = await post(base, benUser, roomId, 'Random noise');

  const phone = await deviceOf(browser, anaUser);
  const laptop = await deviceOf(browser, anaUser);
  const ben = await deviceOf(browser, benUser);
  for (const device of [phone, laptop, ben]) await openChat(device.page, roomId);
  for (const device of [phone, laptop, ben]) await expect(bodyOf(device.page, noise)).toHaveText('Random noise');

  // Ana's phone goes offline and she does a bit of everything there.
  await phone.context.setOffline(true);
  await expect(phone.page.getByTestId('connection')).toHaveText('Offline');
  await edit(phone.page, gate, 'Meet at the north gate');
  await edit(phone.page, race, 'Start at 9 (phone)');
  await edit(phone.page, doomed, 'Parking costs 2 €');
  await deleteForEveryone(phone.page, edited);
  await react(phone.page, rope, '👍');
  await react(phone.page, rope, '🎉');
  await reply(phone.page, rope, 'Great, bring it');
  await reply(phone.page, oops, 'No worries');
  await menu(phone.page, noise, 'Delete for me');
  // All of it shows at once on the phone.
  await expect(bodyOf(phone.page, gate)).toHaveText('Meet at the north gate');
  await expect(messageOf(phone.page, gate).getByTestId('message-edited')).toBeVisible();
  await expect(messageOf(phone.page, edited).getByTestId('message-deleted')).toBeVisible();
  await expect(reaction(phone.page, rope, '🎉')).toHaveAttribute('data-count', '1');
  await expect(messageOf(phone.page, noise)).toHaveCount(0);

  // Meanwhile, online: the laptop edits the same message first and deletes another; it also
  // edits the one the phone deletes; Ben reacts, and deletes the message the phone replied to.
  await edit(laptop.page, race, 'Start at 7 (laptop)');
  await deleteForEveryone(laptop.page, doomed);
  await edit(laptop.page, edited, 'Bring poles and water');
  await react(laptop.page, rope, '👍');
  await react(ben.page, rope, '👍');
  await deleteForEveryone(ben.page, oops);
  await expect(bodyOf(ben.page, race)).toHaveText('Start at 7 (laptop)');
  await expect(messageOf(ben.page, doomed).getByTestId('message-deleted')).toBeVisible();
  await expect(reaction(ben.page, rope, '👍')).toHaveAttribute('data-count', '2');

  // The phone comes back.
  await phone.context.setOffline(false);
  const replyText = (page: Page, text: string) => page.getByRole('log', { name: 'Messages' }).getByTestId('message').filter({ has: page.locator('> p.message-body', { hasText: text }) });
  for (const { page } of [phone, laptop, ben]) {
    // An edit: shown, marked edited.
    await expect(bodyOf(page, gate)).toHaveText('Meet at the north gate', { timeout: 30_000 });
    await expect(messageOf(page, gate).getByTestId('message-edited')).toBeVisible();
    // Two edits: the phone's reached the server last, and wins on every device.
    await expect(bodyOf(page, race)).toHaveText('Start at 9 (phone)');
    // Edit after a delete: refused; the delete stands, on the phone too.
    await expect(messageOf(page, doomed).getByTestId('message-deleted')).toBeVisible();
    await expect(messageOf(page, doomed)).not.toContainText('Parking');
    // A delete beats the laptop's edit that landed before it.
    await expect(messageOf(page, edited).getByTestId('message-deleted')).toBeVisible();
    await expect(messageOf(page, edited)).not.toContainText('poles');
    // Reactions are a set: Ana's 👍 from two devices counts once.
    await expect(reaction(page, rope, '👍')).toHaveAttribute('data-count', '2');
    await expect(reaction(page, rope, '🎉')).toHaveAttribute('data-count', '1');
    // Replies quote the original, and say so when it was deleted.
    await expect(replyText(page, 'Great, bring it').getByTestId('message-quote')).toContainText('I have a rope');
    await expect(replyText(page, 'No worries').getByTestId('message-quote')).toContainText('This message was deleted');
  }
  // Delete for me: gone from both of Ana's devices, still Ben's.
  await expect(messageOf(laptop.page, noise)).toHaveCount(0);
  await expect(messageOf(phone.page, noise)).toHaveCount(0);
  await expect(bodyOf(ben.page, noise)).toHaveText('Random noise');

  // The server holds the same, and the deleted texts are gone from it.
  const held = await api<{ messages: { id: string; body: string; deletedAt?: string; reactions?: unknown[] }[] }>(
    base,
    benUser,
    'GET',
    `/api/conversations/${roomId}/messages?before=9007199254740991&limit=200`,
  );
  const byId = new Map(held.messages.map((message) => [message.id, message]));
  expect(byId.get(race)?.body).toBe('Start at 9 (phone)');
  for (const id of [doomed, edited, oops]) expect(byId.get(id)).toMatchObject({ body: '' });
  expect(byId.get(rope)?.reactions).toHaveLength(3);
  // Each reply exists once.
  expect(held.messages.filter((message) => message.body === 'Great, bring it')).toHaveLength(1);

  // Tapping a quote jumps to the quoted message.
  await replyText(ben.page, 'Great, bring it').getByTestId('message-quote').click();
  await expect(messageOf(ben.page, rope)).toBeFocused();

  for (const device of [phone, laptop, ben]) await device.context.close();
});

test('a quote of a message older than the loaded pages loads them and jumps there', async ({ browser }) => {
  test.setTimeout(120_000);
  const base = sharedUrl();
  const [anaUser, benUser] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben')];
  const { id: roomId } = await api<{ id: string }>(base, anaUser, 'POST', '/api/activities', {
    title: `Long chat ${Date.now()}`,
    startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString(),
  });
  await api(base, benUser, 'POST', `/api/activities/${roomId}/join`);
  const first = await post(base, anaUser, roomId, 'The very first message');
  for (let i = 1; i <= 60; i++) await post(base, anaUser, roomId, `Filler ${i}`);
  await post(base, benUser, roomId, 'Replying to the start', first);

  const ben = await deviceOf(browser, benUser);
  await openChat(ben.page, roomId);
  const quote = ben.page.getByTestId('message-quote');
  await expect(quote).toContainText('Earlier message');
  await expect(messageOf(ben.page, first)).toHaveCount(0);
  await quote.click();
  await expect(messageOf(ben.page, first)).toBeFocused();
  await expect(quote).toContainText('The very first message');
  await ben.context.close();
});
