import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { directConversationId, PROTOCOL_VERSION, PROTOCOL_VERSION_HEADER, type SyncResponse } from '../../protocol';
import { api, registerApiUser, type ApiUser } from './api-client';
import { signedInDevice } from './fixtures';
import { checkEverySize, FindingLog } from './layout-check';
import { ServerProcess } from './server-process';

/**
 * Issue 15, block and report, two people on two devices: Ana reports Ben's message in their
 * activity's room and blocks him from their direct chat (asked once more first). Ben's next direct
 * message fails with a clear reason in his chat; his room messages are no longer shown on Ana's
 * page while a third member's are; an administrator reads the report on /admin/reports. An
 * unblock from Ana's settings lets Ben's retry through.
 */

const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' });
const messages = (page: Page) => page.getByRole('log', { name: 'Messages' }).getByTestId('message');

async function deviceOf(browser: Browser, server: ServerProcess, user: ApiUser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 360, height: 780 } });
  return { context, page: await signedInDevice(context, user) };
}

/** Sends a message as another client would, through the API. */
async function post(server: ServerProcess, user: ApiUser, conversationId: string, body: string): Promise<void> {
  await api(server.url, user, 'POST', '/api/mutations', {
    clientId: crypto.randomUUID(),
    mutationId: 1,
    createdAt: new Date().toISOString(),
    name: 'message.send',
    args: { id: crypto.randomUUID(), conversationId, body, kind: 'text' },
  });
}

/** Everything the user's feed holds now, pulled to the end. */
async function wholeFeed(server: ServerProcess, user: ApiUser): Promise<SyncResponse['changes']> {
  const changes: SyncResponse['changes'] = [];
  let cursor: string | undefined;
  for (;;) {
    // As a page of this protocol asks: older ones are never sent blocks.
    const response = await fetch(`${server.url}/api/sync?limit=5000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      headers: { authorization: `Bearer ${user.token}`, [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION) },
    });
    if (!response.ok) throw new Error(`sync ${response.status}`);
    const page = (await response.json()) as SyncResponse;
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return changes;
  }
}

/** A block as the server holds it (read through the blocker's own feed): its time, null once unblocked, undefined if never. */
async function blockOnServer(server: ServerProcess, user: ApiUser, blockedId: string): Promise<string | null | undefined> {
  const row = (await wholeFeed(server, user)).filter((change) => change.entity === 'blocked-user' && change.id === blockedId).at(-1);
  return row && row.op === 'upsert' && row.entity === 'blocked-user' ? row.data.blockedAt : undefined;
}

test.describe('block and report', () => {
  let server: ServerProcess;

  test.beforeAll(async () => {
    server = await ServerProcess.onFreePort();
    await server.start();
  });
  test.afterAll(async () => server.dispose());

  test('a blocked person’s direct message fails with a clear reason, their room messages are hidden, and a report reaches the admin', async ({ browser }) => {
    test.setTimeout(120_000);
    const admin = await registerApiUser(server.url, 'Admin');
    // Administrators are named when the server starts.
    await server.restart({ ADMIN_USER_IDS: admin.id });
    const [ana, ben, cleo] = [await registerApiUser(server.url, 'Ana'), await registerApiUser(server.url, 'Ben'), await registerApiUser(server.url, 'Cleo')];
    const { id: roomId } = await api<{ id: string }>(server.url, ana, 'POST', '/api/activities', { title: 'Sunday climb', startsAt: new Date(Date.now() + 86_400_000).toISOString() });
    for (const user of [ben, cleo]) await api(server.url, user, 'POST', `/api/activities/${roomId}/join`);
    const directId = await directConversationId(ana.id, ben.id);
    await api(server.url, ben, 'POST', '/api/mutations', {
      clientId: crypto.randomUUID(),
      mutationId: 1,
      createdAt: new Date().toISOString(),
      name: 'conversation.open',
      args: { id: directId, peerId: ana.id },
    });
    await post(server, ben, roomId, 'Buy cheap followers at example.com');

    const anaDevice = await deviceOf(browser, server, ana);
    const anaPage = anaDevice.page;

    // Ana reports Ben's message from its menu: a reason from the list and a few words.
    await anaPage.goto(`/chat/${roomId}`);
    const ad = messages(anaPage).filter({ hasText: 'Buy cheap followers' });
    await ad.getByTestId('message-actions').click();
    await ad.getByRole('menuitem', { name: 'Report…' }).click();
    const dialog = anaPage.getByTestId('safety-dialog');
    await expect(dialog.getByRole('heading', { name: 'Report this message' })).toBeVisible();
    await dialog.getByTestId('send-report').click();
    await expect(dialog.getByRole('alert')).toHaveText('Choose a reason');
    await dialog.getByLabel('Spam').check();
    await dialog.getByLabel('Anything to add? (optional)').fill('Third time this week');
    await dialog.getByTestId('send-report').click();
    await expect(dialog.getByRole('heading', { name: 'Thanks for telling us' })).toBeVisible();
    await dialog.getByRole('button', { name: 'Done' }).click();

    // Then blocks him from their direct chat's menu, and is asked once more.
    await anaPage.goto(`/chat/${directId}`);
    await anaPage.getByTestId('person-safety').click();
    await dialog.getByRole('button', { name: 'Block…' }).click();
    await expect(dialog.getByRole('heading', { name: 'Block Ben?' })).toBeVisible();
    await dialog.getByTestId('confirm-block').click();
    await expect(dialog).toBeHidden();
    await expect.poll(() => blockOnServer(server, ana, ben.id), { timeout: 15_000 }).toEqual(expect.any(String));

    // Ben's direct message is refused, and his chat says why.
    const benDevice = await deviceOf(browser, server, ben);
    const benPage = benDevice.page;
    await benPage.goto(`/chat/${directId}`);
    await expect(benPage.getByTestId('connection')).toHaveText(/Online/);
    await composer(benPage).fill('Hey, why no answer?');
    await composer(benPage).press('Enter');
    const failed = messages(benPage).and(benPage.locator('[data-status="failed"]')).filter({ hasText: 'Hey, why no answer?' });
    await expect(failed).toContainText('Not sent: You can’t message this person.', { timeout: 15_000 });
    // Rolled back: only the failed line is left of it.
    await expect(messages(benPage).filter({ hasText: 'Hey, why no answer?' })).toHaveCount(1);

    // In the room, Ben's messages are gone from Ana's page; Cleo's, sent after his, are there.
    await post(server, ben, roomId, 'Still selling followers');
    await post(server, cleo, roomId, 'See you at nine');
    await anaPage.goto(`/chat/${roomId}`);
    await expect(messages(anaPage).filter({ hasText: 'See you at nine' })).toBeVisible();
    await expect(messages(anaPage).filter({ hasText: 'followers' })).toHaveCount(0);
    // Cleo still sees them: the block hides them for Ana alone.
    const cleoFeed = await wholeFeed(server, cleo);
    expect(cleoFeed.filter((c) => c.entity === 'message' && c.op === 'upsert' && c.data.body.includes('followers'))).toHaveLength(2);

    // The administrator reads the report, with the message as it was and who made it.
    const adminDevice = await deviceOf(browser, server, admin);
    const adminPage = adminDevice.page;
    await adminPage.goto('/settings');
    await adminPage.getByRole('link', { name: 'Reports' }).click();
    await expect(adminPage.getByRole('heading', { level: 1, name: 'Reports' })).toBeVisible();
    const report = adminPage.getByTestId('admin-report');
    await expect(report).toHaveCount(1);
    await expect(report).toContainText('Spam');
    await expect(report).toContainText('Ana reported a message by Ben');
    await expect(report.getByTestId('admin-report-message')).toHaveText('Buy cheap followers at example.com');
    await expect(report).toContainText('Third time this week');
    const layout = new FindingLog();
    await checkEverySize(adminPage, layout, 'admin-reports', { screenshots: true });
    // Ben is no administrator: the same page refuses him.
    await benPage.goto('/admin/reports');
    await expect(benPage.getByText('Only administrators can read reports')).toBeVisible();

    // Ana unblocks Ben in her settings; his retry goes through.
    await anaPage.goto('/settings');
    const blockedList = anaPage.getByTestId('blocked-users');
    await expect(blockedList).toContainText('Ben');
    await checkEverySize(anaPage, layout, 'settings-blocked', { screenshots: true });
    await blockedList.getByRole('button', { name: 'Unblock Ben' }).click();
    await expect(blockedList).toContainText('You haven’t blocked anyone');
    await expect.poll(() => blockOnServer(server, ana, ben.id), { timeout: 15_000 }).toBeNull();
    await benPage.goto(`/chat/${directId}`);
    await failed.getByRole('button', { name: 'Retry' }).click();
    await expect(failed).toHaveCount(0, { timeout: 15_000 });
    await expect(messages(benPage).filter({ hasText: 'Hey, why no answer?' })).not.toHaveAttribute('data-status', 'pending', { timeout: 15_000 });
    await anaPage.goto(`/chat/${directId}`);
    await expect(messages(anaPage).filter({ hasText: 'Hey, why no answer?' })).toBeVisible({ timeout: 15_000 });
    await anaPage.goto(`/chat/${roomId}`);
    await expect(messages(anaPage).filter({ hasText: 'followers' })).toHaveCount(2);

    expect(layout.report(), 'what does not fit (screenshots in test-results/screens/)').toEqual([]);
    for (const device of [anaDevice, benDevice, adminDevice]) await device.context.close();
  });
});
