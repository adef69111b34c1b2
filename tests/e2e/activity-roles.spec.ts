import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { api, registerApiUser, sendMessageViaApi, type ApiUser } from './api-client';
import { signedInDevice } from './fixtures';
import { keysOf, readLocalRows } from './local-db';

/**
 * Issue 15, group roles: the organizer makes Ben a co-host (Ben's open page shows the badge
 * live); Ben, offline, deletes Cleo's message as a host and it lands once he is back; the
 * organizer removes Cleo while her chat is open, and her device drops the room, its messages and
 * the private activity, and tells her she was removed.
 */

const sharedUrl = () => test.info().project.use.baseURL ?? '';

interface Device {
  context: BrowserContext;
  page: Page;
}

async function deviceOf(browser: Browser, user: ApiUser): Promise<Device> {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
  return { context, page: await signedInDevice(context, user) };
}

const post = sendMessageViaApi;
const memberRow = (page: Page, name: string) => page.getByRole('list', { name: 'Members' }).getByTestId('member').filter({ hasText: name });
const messageOf = (page: Page, id: string) => page.getByRole('log', { name: 'Messages' }).locator(`[data-message-id="${id}"]`);

test('the organizer makes a co-host, a host deletes offline, and a removed member’s device drops the room', async ({ browser }) => {
  test.setTimeout(180_000);
  const base = sharedUrl();
  const [orgUser, benUser, cleoUser, danUser] = [
    await registerApiUser(base, 'Org'),
    await registerApiUser(base, 'Ben'),
    await registerApiUser(base, `Cleo ${Date.now() % 1_000_000}`),
    await registerApiUser(base, 'Dan'),
  ];
  const title = `Cave tour ${Date.now()}`;
  const { id } = await api<{ id: string }>(base, orgUser, 'POST', '/api/activities', {
    title,
    startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString(),
    visibility: 'private',
  });
  for (const user of [benUser, cleoUser, danUser]) {
    await api(base, orgUser, 'POST', `/api/activities/${id}/invites`, { userId: user.id });
    await api(base, user, 'POST', `/api/activities/${id}/join`);
  }
  const hello = await post(base, cleoUser, id, 'Hello cave people');
  const rude = await post(base, cleoUser, id, 'Something rude');
  await post(base, orgUser, id, 'Helmets on');

  const org = await deviceOf(browser, orgUser);
  const ben = await deviceOf(browser, benUser);
  const cleo = await deviceOf(browser, cleoUser);
  await org.page.goto(`/activities/${id}`);
  await ben.page.goto(`/activities/${id}`);
  await expect(memberRow(org.page, 'Org').getByText('Organizer')).toBeVisible();
  await expect(memberRow(ben.page, 'Ben')).toHaveAttribute('data-role', 'member');

  // The organizer makes Ben a co-host; Ben's open page shows it without a reload.
  await memberRow(org.page, 'Ben').getByRole('button', { name: 'Manage Ben' }).click();
  await org.page.getByRole('button', { name: 'Make co-host' }).click();
  await expect(memberRow(org.page, 'Ben').getByText('Co-host')).toBeVisible();
  await expect(memberRow(ben.page, 'Ben')).toHaveAttribute('data-role', 'cohost');
  await expect(memberRow(ben.page, 'Ben').getByText('Co-host')).toBeVisible();
  // As a co-host Ben manages plain members, not the organizer.
  await expect(memberRow(ben.page, 'Cleo').getByRole('button', { name: `Manage ${cleoUser.displayName}` })).toBeVisible();
  await expect(memberRow(ben.page, 'Org').getByRole('button', { name: /Manage/ })).toHaveCount(0);

  // Offline, Ben deletes Cleo's message for everyone as a host; it lands when he is back.
  await ben.page.goto(`/chat/${id}`);
  await expect(messageOf(ben.page, rude)).toBeVisible();
  await ben.context.setOffline(true);
  await expect(ben.page.getByTestId('connection')).toHaveText('Offline');
  await messageOf(ben.page, rude).getByTestId('message-actions').click();
  await messageOf(ben.page, rude).getByRole('menuitem', { name: 'Delete for everyone', exact: true }).click();
  await messageOf(ben.page, rude).getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(messageOf(ben.page, rude).getByTestId('message-deleted')).toBeVisible();
  await cleo.page.goto(`/chat/${id}`);
  await expect(messageOf(cleo.page, rude)).toContainText('Something rude');
  await ben.context.setOffline(false);
  await expect(messageOf(cleo.page, rude).getByTestId('message-deleted')).toBeVisible({ timeout: 30_000 });
  const page = await api<{ messages: { id: string; body: string; deletedAt?: string }[] }>(base, orgUser, 'GET', `/api/conversations/${id}/messages?before=999999999`);
  expect(page.messages.find((message) => message.id === rude)).toMatchObject({ body: '', deletedAt: expect.any(String) });
  await expect(ben.page.getByTestId('refusal-notice')).toHaveCount(0);

  // The organizer removes Cleo while her chat is open: her device drops the room and says why.
  expect(keysOf(await readLocalRows(cleo.page, cleoUser.id))).toContain(`message/${hello}`);
  await memberRow(org.page, 'Cleo').getByRole('button', { name: `Manage ${cleoUser.displayName}` }).click();
  await org.page.getByRole('button', { name: 'Remove from activity' }).click();
  await org.page.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(memberRow(org.page, 'Cleo')).toHaveCount(0);
  await expect(cleo.page.getByTestId('removed-notice')).toContainText(`You were removed from “${title}”`, { timeout: 30_000 });
  await expect
    .poll(async () => keysOf(await readLocalRows(cleo.page, cleoUser.id)).filter((key) => key.includes(id)), { timeout: 15_000 })
    .toEqual([]);
  // Nothing of the room is left: no message of it by any id.
  const rows = await readLocalRows(cleo.page, cleoUser.id);
  expect(rows.join('\n')).not.toContain('Hello cave people');
  expect(rows.join('\n')).not.toContain('Helmets on');
  // The chat list no longer has it, and the activity says the same after a reload (from the device alone).
  await cleo.page.goto('/chat');
  await expect(cleo.page.getByRole('link', { name: new RegExp(title) })).toHaveCount(0);
  await cleo.page.goto(`/activities/${id}`);
  await expect(cleo.page.getByTestId('removed-notice')).toBeVisible();
  // She cannot simply join again: the private activity no longer exists for her (a public one answers removed_from_activity).
  const rejoin = await fetch(`${base}/api/activities/${id}/join`, { method: 'POST', headers: { authorization: `Bearer ${cleoUser.token}` } });
  expect(rejoin.status).toBe(404);

  // The organizer invites her back from the activity's invite box: her open page turns back into
  // the activity, and she may join again.
  await org.page.getByLabel('Search people by name').fill(cleoUser.displayName);
  await org.page.getByRole('button', { name: 'Invite', exact: true }).first().click();
  await expect(cleo.page.getByRole('heading', { level: 1, name: title })).toBeVisible({ timeout: 30_000 });
  await cleo.page.getByRole('button', { name: 'Join' }).click();
  await expect(cleo.page.getByRole('button', { name: 'Leave' })).toBeVisible();
  await expect(cleo.page.getByRole('link', { name: 'Chat', exact: true })).toBeVisible();

  // Ben, offline, removes Dan; meanwhile the organizer took his co-host role back. Once Ben is
  // online the server refuses it: Dan is back in Ben's list and Ben is told why.
  await ben.page.goto(`/activities/${id}`);
  await expect(memberRow(ben.page, 'Dan')).toBeVisible();
  await ben.context.setOffline(true);
  await expect(ben.page.getByTestId('connection')).toHaveText('Offline');
  await api(base, orgUser, 'POST', '/api/mutations', {
    clientId: crypto.randomUUID(),
    mutationId: 1,
    createdAt: new Date().toISOString(),
    name: 'activity.setRole',
    args: { id, userId: benUser.id, role: 'member' },
  });
  await memberRow(ben.page, 'Dan').getByRole('button', { name: 'Manage Dan' }).click();
  await ben.page.getByRole('button', { name: 'Remove from activity' }).click();
  await ben.page.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(memberRow(ben.page, 'Dan')).toHaveCount(0);
  await ben.context.setOffline(false);
  await expect(ben.page.getByTestId('refusal-notice')).toContainText('Only the organizer and co-hosts can remove members', { timeout: 30_000 });
  await expect(memberRow(ben.page, 'Dan')).toBeVisible();
  await expect(memberRow(ben.page, 'Ben')).toHaveAttribute('data-role', 'member');
  const members = await api<{ items: { userId: string }[] }>(base, orgUser, 'GET', `/api/activities/${id}/members`);
  expect(members.items.map((member) => member.userId)).toContain(danUser.id);

  for (const device of [org, ben, cleo]) await device.context.close();
});
