import { randomUUID } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { api, registerApiUser, type ApiUser } from './api-client';
import { roomWith } from './chat-helpers';
import { signInViaForm, waitForServiceWorker } from './fixtures';

/**
 * Issue 15, conversations: pin (on top, at most three) and archive (out of the list until a new
 * unmuted message), per user, made on one device (offline too) and followed by the user's others.
 */

const sharedUrl = () => test.info().project.use.baseURL ?? '';

async function deviceOf(browser: Browser, user: ApiUser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signInViaForm(page, user.email, user.password);
  await waitForServiceWorker(page);
  return page;
}

async function say(base: string, user: ApiUser, conversationId: string, body: string): Promise<void> {
  await api(base, user, 'POST', '/api/mutations', {
    clientId: randomUUID(),
    mutationId: 1,
    createdAt: new Date().toISOString(),
    name: 'message.send',
    args: { id: randomUUID(), conversationId, body, kind: 'text' },
  });
}

const titles = (page: Page) => page.getByRole('list', { name: 'Conversations', exact: true }).getByTestId('conversation').locator('.conversation-title');

async function chooseFor(page: Page, title: string, action: string): Promise<void> {
  await page.getByRole('button', { name: `More for ${title}` }).click();
  await page.getByRole('menuitem', { name: action }).click();
}

test('pin and archive follow the user to every device, a fourth pin is not offered, and a new message brings an archived chat back', async ({ browser }) => {
  test.setTimeout(120_000);
  const base = sharedUrl();
  const [ana, ben] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben')];
  const tag = Date.now();
  const names = ['Alpha', 'Bravo', 'Charlie', 'Delta'].map((name) => `${name} ${tag}`);
  const rooms: string[] = [];
  // Oldest first: the list shows the newest on top, Delta … Alpha.
  for (const name of names) {
    const room = await roomWith(base, ana, [ben], name);
    await say(base, ana, room, `Hello ${name}`);
    rooms.push(room);
  }
  const [phone, laptop] = [await deviceOf(browser, ana), await deviceOf(browser, ana)];
  for (const page of [phone, laptop]) {
    await page.goto('/chat');
    await expect(titles(page)).toHaveText([...names].reverse());
  }

  // Pinned on the phone: on top there, and on the laptop soon after.
  await chooseFor(phone, names[0]!, 'Pin to top');
  await expect(titles(phone)).toHaveText([names[0]!, names[3]!, names[2]!, names[1]!]);
  await expect(phone.getByTestId('conversation').filter({ hasText: names[0]! }).getByTestId('pinned')).toBeVisible();
  await expect(titles(laptop)).toHaveText([names[0]!, names[3]!, names[2]!, names[1]!]);

  // Three pinned: the menu offers no fourth.
  await chooseFor(phone, names[1]!, 'Pin to top');
  await chooseFor(phone, names[2]!, 'Pin to top');
  await expect(titles(phone)).toHaveText([names[2]!, names[1]!, names[0]!, names[3]!]);
  await phone.getByRole('button', { name: `More for ${names[3]!}` }).click();
  await expect(phone.getByRole('menuitem', { name: /Pin to top/ })).toBeDisabled();
  await phone.keyboard.press('Escape');

  // Archived offline on the phone: gone from its list at once, from the laptop's once it is back.
  await phone.context().setOffline(true);
  await expect(phone.getByTestId('connection')).toHaveText('Offline');
  await chooseFor(phone, names[3]!, 'Archive');
  await expect(titles(phone)).toHaveText([names[2]!, names[1]!, names[0]!]);
  await expect(phone.getByTestId('archived-toggle')).toHaveText('Archived (1)');
  await phone.context().setOffline(false);
  await expect(titles(laptop)).toHaveText([names[2]!, names[1]!, names[0]!], { timeout: 15_000 });
  await laptop.getByTestId('archived-toggle').click();
  await expect(laptop.getByRole('list', { name: 'Archived conversations' }).getByTestId('conversation')).toHaveText(new RegExp(names[3]!));

  // Ben writes in the archived room: it is back in the list on both devices.
  await say(base, ben, rooms[3]!, 'Still on for Friday?');
  for (const page of [phone, laptop]) {
    await expect(titles(page)).toHaveText([names[2]!, names[1]!, names[0]!, names[3]!], { timeout: 15_000 });
    await expect(page.getByTestId('archived-toggle')).toHaveCount(0);
  }
  for (const page of [phone, laptop]) await page.context().close();
});
