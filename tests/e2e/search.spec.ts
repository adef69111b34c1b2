import { expect, test, type Page } from '@playwright/test';
import { directConversationId } from '../../protocol';
import { api, registerApiUser, type ApiUser } from './api-client';
import { signInViaForm, signedInDevice } from './fixtures';

/** Issue 15, Search: every message on the device, offline, across conversations, highlighted, opening at the hit. */

const baseUrl = () => test.info().project.use.baseURL ?? '';

/** Sends mutations as one writer, in order, in one batch (as a device would). */
function writerOf(user: ApiUser) {
  const clientId = crypto.randomUUID();
  let mutationId = 0;
  return async (mutations: { name: string; args: unknown }[]): Promise<void> => {
    const batch = mutations.map((mutation) => ({ clientId, mutationId: ++mutationId, createdAt: new Date().toISOString(), ...mutation }));
    const answer = await api<{ answers: { httpStatus: number }[] }>(baseUrl(), user, 'POST', '/api/mutations/batch', { mutations: batch });
    expect(answer.answers.map((a) => a.httpStatus)).toEqual(batch.map(() => 200));
  };
}

const message = (conversationId: string, body: string) => ({ name: 'message.send', args: { id: crypto.randomUUID(), conversationId, body, kind: 'text' } });
const hits = (page: Page) => page.getByTestId('search-hit');

async function searchFor(page: Page, text: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search messages' }).fill(text);
}

test('finds words offline in every conversation, opens the chat at the hit, follows new messages, and never shows them to the next person', async ({ browser }) => {
  const base = baseUrl();
  const [ana, ben, cleo] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben'), await registerApiUser(base, 'Cleo')];
  const title = `Lighthouse walk ${Date.now()}`;
  const { id: roomId } = await api<{ id: string }>(base, ana, 'POST', '/api/activities', { title, startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString() });
  await api(base, ben, 'POST', `/api/activities/${roomId}/join`);
  const directId = await directConversationId(ana.id, ben.id);
  const bens = writerOf(ben);
  await bens([
    { name: 'conversation.open', args: { id: directId, peerId: ana.id } },
    message(roomId, 'Picnic by the LIGHTHOUSE at noon, Ána brings bread'),
    message(roomId, 'Nothing to see here'),
    message(directId, 'Can you bring the lighthouse map?'),
    message(directId, 'Thanks!'),
  ]);

  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await signedInDevice(context, ana);
  await page.getByRole('link', { name: 'Chats' }).click();
  await expect(page.getByTestId('conversation')).toHaveCount(2);

  // Offline: the search reads only the device.
  await context.setOffline(true);
  await expect(page.getByTestId('connection')).toHaveText('Offline');
  await page.getByTestId('search-messages').click();
  await searchFor(page, 'lighthouse');
  await expect(hits(page)).toHaveCount(2);
  // Newest first: the direct message was sent last. Each names its conversation and sender.
  await expect(hits(page).nth(0)).toContainText('Ben');
  await expect(hits(page).nth(0)).toContainText('Can you bring the lighthouse map?');
  await expect(hits(page).nth(1)).toContainText(title);
  await expect(hits(page).nth(1).locator('mark')).toHaveText(['LIGHTHOUSE']);
  await expect(hits(page).nth(0).locator('mark')).toHaveText(['lighthouse']);
  // Case and accents fold; the last word matches as it is typed; every word must match.
  await searchFor(page, 'ana BRE');
  await expect(hits(page)).toHaveCount(1);
  await expect(hits(page).locator('mark')).toHaveText(['Ána', 'bread']);
  await searchFor(page, 'lighthouse thanks');
  await expect(page.getByText('No messages found')).toBeVisible();

  // A hit opens its chat at the message, marked for a moment and focused.
  await searchFor(page, 'lighthouse map');
  await expect(hits(page)).toHaveCount(1);
  const hitId = await hits(page).getAttribute('data-message-id');
  await hits(page).click();
  await expect(page).toHaveURL(new RegExp(`/chat/${directId}\\?message=`));
  const target = page.locator(`[data-message-id="${hitId}"]`);
  await expect(target).toBeInViewport();
  await expect(target).toBeFocused();
  await expect(target).toHaveClass(/message-focused/);
  await expect(target).not.toHaveClass(/message-focused/, { timeout: 5_000 });

  // Back to the results, online again: a message that arrives is found while they are shown.
  await page.goBack();
  await expect(hits(page)).toHaveCount(1);
  await context.setOffline(false);
  await expect(page.getByTestId('connection')).toHaveText('Online');
  await searchFor(page, 'lighthouse');
  await expect(hits(page)).toHaveCount(2);
  await bens([message(roomId, 'The lighthouse keeper says hi')]);
  await expect(hits(page)).toHaveCount(3);
  await expect(hits(page).nth(0)).toContainText('The lighthouse keeper says hi');

  // Ana signs out; Cleo signs in on the same browser and finds none of Ana's messages.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await signInViaForm(page, cleo.email, cleo.password);
  await page.goto('/chat/search?q=lighthouse');
  await expect(page.getByText('No messages found')).toBeVisible();
  const databases = await page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name));
  expect(databases).not.toContain(`rally-user-${ana.id}`);
  await context.close();
});
