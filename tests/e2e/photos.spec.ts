import { createHash } from 'node:crypto';
import { expect, test, type Browser, type Page, type Route } from '@playwright/test';
import { api, registerApiUser, type ApiUser } from './api-client';
import { pngOf } from './photo-files';
import { dispatchOutboxSync, signInViaForm, signedInDevice, waitForServiceWorker } from './fixtures';

/**
 * Issue 15, photos: Ana picks a photo while offline; it waits on her device with its message and
 * goes, file first, when the network returns; it reaches Ben once. Ben sees it once online, and
 * then offline after a reload, from the worker's cache.
 */

const sharedUrl = () => test.info().project.use.baseURL ?? '';

async function deviceOf(browser: Browser, user: ApiUser): Promise<{ page: Page; setOffline: (offline: boolean) => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 760 } });
  const page = await context.newPage();
  await signInViaForm(page, user.email, user.password);
  await waitForServiceWorker(page);
  return { page, setOffline: (offline) => context.setOffline(offline) };
}

const photosIn = (page: Page) => page.getByRole('log', { name: 'Messages' }).getByTestId('chat-photo');
const photoStatusIn = (page: Page) => page.getByTestId('message').filter({ has: page.getByTestId('chat-photo') }).getByTestId('message-status');

interface ServerMessage {
  id: string;
  senderId: string;
  body: string;
  photo?: { hash: string; type: string; width: number; height: number; preview: string };
}

test('a photo sent offline arrives once, and shows offline on the receiver after one view', async ({ browser }) => {
  test.setTimeout(120_000);
  const base = sharedUrl();
  const [anaUser, benUser] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben')];
  const { id: roomId } = await api<{ id: string }>(base, anaUser, 'POST', '/api/activities', {
    title: `Meeting point ${Date.now()}`,
    startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString(),
  });
  await api(base, benUser, 'POST', `/api/activities/${roomId}/join`);
  const serverMessages = async () => (await api<{ messages: ServerMessage[] }>(base, benUser, 'GET', `/api/conversations/${roomId}/messages?before=9007199254740991`)).messages;

  const ana = await deviceOf(browser, anaUser);
  const ben = await deviceOf(browser, benUser);
  for (const { page } of [ana, ben]) {
    await page.goto(`/chat/${roomId}`);
    await expect(page.getByTestId('connection')).toHaveText(/Online/);
  }

  // Offline, Ana picks a 2000 × 1000 PNG: it shows at once (its preview), waiting to be sent.
  await ana.setOffline(true);
  await expect(ana.page.getByTestId('connection')).toHaveText('Offline');
  await ana.page.getByTestId('photo-input').setInputFiles({ name: 'meeting-point.png', mimeType: 'image/png', buffer: pngOf(2000, 1000) });
  await expect(photosIn(ana.page)).toHaveCount(1);
  await expect(photoStatusIn(ana.page)).toHaveText(/Sending/);
  await expect(photosIn(ana.page)).toHaveAttribute('data-loaded', 'true');
  expect((await serverMessages()).filter((message) => message.photo)).toEqual([]);

  // Back online: file, then message, once.
  await ana.setOffline(false);
  await expect(photosIn(ben.page)).toHaveCount(1, { timeout: 30_000 });
  await expect(photosIn(ben.page)).toHaveAttribute('data-loaded', 'true', { timeout: 30_000 });
  await expect(photoStatusIn(ana.page)).not.toHaveText(/Sending/, { timeout: 30_000 });

  const withPhotos = (await serverMessages()).filter((message) => message.photo);
  expect(withPhotos).toHaveLength(1);
  const [sent] = withPhotos;
  expect(sent!.senderId).toBe(anaUser.id);
  // Resized on Ana's page: the longest side 1,600 px, re-encoded as JPEG, with a small preview.
  expect(sent!.photo).toMatchObject({ type: 'image/jpeg', width: 1600, height: 800 });
  expect(sent!.photo!.preview).toMatch(/^data:image\/jpeg;base64,/);
  const file = await fetch(`${base}/api/photos/${sent!.photo!.hash}`, { headers: { authorization: `Bearer ${benUser.token}` } });
  expect(file.status).toBe(200);
  const bytes = Buffer.from(await file.arrayBuffer());
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(sent!.photo!.hash);
  expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  // Nothing more arrives later (a second upload or send would show here).
  await ben.page.waitForTimeout(1_000);
  expect((await serverMessages()).filter((message) => message.photo)).toHaveLength(1);
  await expect(photosIn(ben.page)).toHaveCount(1);
  await expect(photosIn(ana.page)).toHaveCount(1);

  // Ben has seen it; offline and reloaded, the full photo still shows (the worker's cache).
  await ben.setOffline(true);
  await ben.page.reload();
  await expect(ben.page.getByTestId('connection')).toHaveText('Offline');
  await expect(photosIn(ben.page)).toHaveAttribute('data-loaded', 'true');
  const shownWidth = await photosIn(ben.page).locator('img.chat-photo-full').evaluate((image) => (image as HTMLImageElement).naturalWidth);
  expect(shownWidth).toBe(1600);

  // Full screen on a tap.
  await photosIn(ben.page).click();
  await expect(ben.page.getByTestId('photo-viewer')).toBeVisible();
  await ben.page.getByRole('button', { name: 'Close the photo' }).click();
  await expect(ben.page.getByTestId('photo-viewer')).toHaveCount(0);
  // Ana's own photo too, though her device let go of its copy once the server had it.
  await ana.setOffline(true);
  await ana.page.reload();
  await expect(ana.page.getByTestId('connection')).toHaveText('Offline');
  await expect(photosIn(ana.page)).toHaveAttribute('data-loaded', 'true');
});

test('with no Rally page open, the worker uploads a photo taken offline and then sends its message, once', async ({ browser }) => {
  test.setTimeout(90_000);
  const base = sharedUrl();
  const [anaUser, benUser] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben')];
  const { id: roomId } = await api<{ id: string }>(base, anaUser, 'POST', '/api/activities', {
    title: `Trailhead ${Date.now()}`,
    startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString(),
  });
  await api(base, benUser, 'POST', `/api/activities/${roomId}/join`);
  const serverPhotos = async () =>
    (await api<{ messages: ServerMessage[] }>(base, benUser, 'GET', `/api/conversations/${roomId}/messages?before=9007199254740991`)).messages.filter((message) => message.photo);

  const context = await browser.newContext({ viewport: { width: 360, height: 760 } });
  const page = await signedInDevice(context, anaUser);
  await page.goto(`/chat/${roomId}`);
  await expect(page.getByTestId('connection')).toHaveText(/Online/);
  await context.setOffline(true);
  await expect(page.getByTestId('connection')).toHaveText('Offline');
  // A line of text, then the photo: the worker replays them as one batch, the photo's file first.
  await page.getByRole('textbox', { name: 'Message' }).fill('Parking is full, walk up');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await page.getByTestId('photo-input').setInputFiles({ name: 'trailhead.png', mimeType: 'image/png', buffer: pngOf(900, 1200) });
  await expect(photoStatusIn(page)).toHaveText(/Sending/);

  const blank = await context.newPage();
  await page.close();
  await context.setOffline(false);
  await dispatchOutboxSync(context, blank, new URL(base).origin, anaUser.id);
  await expect.poll(async () => (await serverPhotos()).length, { timeout: 20_000 }).toBe(1);
  const everything = (await api<{ messages: ServerMessage[] }>(base, benUser, 'GET', `/api/conversations/${roomId}/messages?before=9007199254740991`)).messages;
  expect(everything.map((message) => (message.photo ? 'photo' : message.body))).toEqual(['Parking is full, walk up', 'photo']);
  expect((await serverPhotos())[0]!.photo).toMatchObject({ width: 900, height: 1200, type: 'image/jpeg' });

  // The next visit finds it sent and sends nothing again, neither the file nor the message.
  const sends: string[] = [];
  context.on('request', (request) => {
    const pathname = new URL(request.url()).pathname;
    if ((request.method() === 'POST' && pathname.startsWith('/api/mutations')) || request.method() === 'PUT') sends.push(`${request.method()} ${pathname}`);
  });
  const again = await context.newPage();
  await again.goto(`/chat/${roomId}`);
  await expect(photosIn(again)).toHaveCount(1);
  await expect(photoStatusIn(again)).not.toHaveText(/Sending/);
  await expect(photosIn(again)).toHaveAttribute('data-loaded', 'true');
  await again.waitForTimeout(2_000);
  expect(sends).toEqual([]);
  expect(await serverPhotos()).toHaveLength(1);
  await context.close();
});

test('a photo whose upload is refused shows on the message as failed, and Retry sends it with its file', async ({ browser }) => {
  test.setTimeout(90_000);
  const base = sharedUrl();
  const anaUser = await registerApiUser(base, 'Ana');
  const { id: roomId } = await api<{ id: string }>(base, anaUser, 'POST', '/api/activities', {
    title: `Picnic ${Date.now()}`,
    startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString(),
  });
  const serverPhotos = async () =>
    (await api<{ messages: ServerMessage[] }>(base, anaUser, 'GET', `/api/conversations/${roomId}/messages?before=9007199254740991`)).messages.filter((message) => message.photo);

  const context = await browser.newContext({ viewport: { width: 360, height: 760 } });
  const page = await signedInDevice(context, anaUser);
  await page.goto(`/chat/${roomId}`);
  await expect(page.getByTestId('connection')).toHaveText(/Online/);
  // The server refuses the file (as it would a file that is not an image).
  const refuse = async (route: Route) =>
    route.request().method() === 'PUT'
      ? route.fulfill({ status: 415, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unsupported_media_type', message: 'A photo must be a JPEG, PNG, WebP or GIF image' } }) })
      : route.continue();
  await context.route('**/api/photos/**', refuse);
  await page.getByRole('textbox', { name: 'Message' }).fill('Blanket by the oak');
  await page.getByTestId('photo-input').setInputFiles({ name: 'picnic.png', mimeType: 'image/png', buffer: pngOf(800, 600) });

  const failed = page.locator('[data-testid="message"][data-status="failed"]');
  await expect(failed).toContainText('Not sent: Photo not uploaded: A photo must be a JPEG, PNG, WebP or GIF image');
  await expect(failed).toContainText('Blanket by the oak');
  await expect(failed.getByRole('img', { name: 'Your photo (not sent)' })).toBeVisible();
  await expect(photosIn(page)).toHaveCount(0);
  expect(await serverPhotos()).toEqual([]);

  await context.unroute('**/api/photos/**', refuse);
  await failed.getByRole('button', { name: 'Retry' }).click();
  await expect(failed).toHaveCount(0);
  await expect(photosIn(page)).toHaveCount(1);
  await expect(photoStatusIn(page)).not.toHaveText(/Sending/, { timeout: 20_000 });
  const sent = await serverPhotos();
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ body: 'Blanket by the oak', photo: { width: 800, height: 600 } });

  // Signing out takes the photos this person saw off the device, with their database.
  await expect(photosIn(page)).toHaveAttribute('data-loaded', 'true');
  const cachedPhotos = () => page.evaluate(async () => ((await caches.has('rally-photos')) ? (await (await caches.open('rally-photos')).keys()).length : 0));
  expect(await cachedPhotos()).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect.poll(cachedPhotos).toBe(0);
  await context.close();
});
