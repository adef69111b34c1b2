import { expect, test } from '@playwright/test';
import { api, registerApiUser } from './api-client';
import { signInViaForm, waitForServiceWorker } from './fixtures';
import { flipNotifications, stubPushSubscribe } from './push-helpers';

const baseUrl = () => test.info().project.use.baseURL ?? '';

test('settings lists the devices that get your notifications, and one removed there gets none', async ({ browser }) => {
  const ben = await registerApiUser(baseUrl(), 'Ben');
  const devices = () => api<{ devices: { id: string; platform: string }[] }>(baseUrl(), ben, 'GET', '/api/devices').then((list) => list.devices);
  const open = async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    await context.grantPermissions(['notifications']);
    await context.addInitScript(stubPushSubscribe);
    const page = await context.newPage();
    await signInViaForm(page, ben.email, ben.password);
    await waitForServiceWorker(page);
    await page.goto('/settings');
    await flipNotifications(page, 'on');
    return { context, page };
  };
  const phone = await open();
  const laptop = await open();
  await expect.poll(async () => (await devices()).length).toBe(2);

  // The phone sees both, itself marked; the other one it may remove.
  await phone.page.reload();
  const rows = phone.page.getByTestId('device');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'This device' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'This device' }).getByRole('button', { name: 'Remove' })).toHaveCount(0);
  await rows.filter({ hasNotText: 'This device' }).getByRole('button', { name: 'Remove' }).click();
  await expect(rows).toHaveCount(1);
  await expect.poll(async () => (await devices()).length).toBe(1);
  expect(await phone.page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);

  // What is left on the server is the phone: the laptop gets nothing any more.
  const phoneId = await phone.page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const request = indexedDB.open('rally-device');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const get = request.result.transaction('state').objectStore('state').get('device');
          get.onsuccess = () => resolve((get.result as { deviceId: string }).deviceId);
        };
      }),
  );
  expect((await devices()).map((device) => device.id)).toEqual([phoneId]);
  await Promise.all([phone.context.close(), laptop.context.close()]);
});
