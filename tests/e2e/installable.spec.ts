import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, expect, test } from '@playwright/test';

interface ManifestIcon {
  src: string;
  sizes: string;
  type?: string;
  purpose?: string;
}

/** Width and height from a PNG's IHDR chunk; throws if the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature) || bytes.toString('ascii', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('Chromium finds Rally installable: manifest, icons, service worker, no installability errors', async ({ baseURL }) => {
  // Installability is judged per profile: a fresh persistent one, as a first visitor has.
  const profile = mkdtempSync(path.join(tmpdir(), 'rally-install-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    serviceWorkers: 'allow',
  });
  try {
    const page = await context.newPage();
    await page.goto(`${baseURL}/login`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(manifestHref).toBeTruthy();
    const manifest = (await (await page.request.get(new URL(manifestHref!, page.url()).toString())).json()) as {
      name: string;
      display: string;
      start_url: string;
      icons: ManifestIcon[];
      shortcuts?: { name: string; url: string; icons?: ManifestIcon[] }[];
    };
    expect(manifest).toMatchObject({ name: 'Rally', display: 'standalone', start_url: '/' });
    expect(manifest.icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((icon) => icon.purpose?.includes('maskable'))).toBe(true);
    expect(manifest.shortcuts?.map(({ name, url }) => ({ name, url }))).toEqual([
      { name: 'New activity', url: '/activities/new' },
      { name: 'Chats', url: '/chat' },
    ]);
    expect(manifest.shortcuts?.every((shortcut) => shortcut.icons?.some((icon) => icon.sizes === '96x96'))).toBe(true);

    // Every icon the manifest names must be a PNG of the size it states, as served.
    const allIcons = [...manifest.icons, ...(manifest.shortcuts ?? []).flatMap((shortcut) => shortcut.icons ?? [])];
    for (const icon of allIcons) {
      const response = await page.request.get(new URL(icon.src, page.url()).toString());
      expect(response.status(), icon.src).toBe(200);
      expect(response.headers()['content-type'], icon.src).toContain('image/png');
      const { width, height } = pngSize(await response.body());
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
    }

    const cdp = await context.newCDPSession(page);
    await expect
      .poll(async () => ((await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] }).installabilityErrors, {
        timeout: 15_000,
      })
      .toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
