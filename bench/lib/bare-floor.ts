import type { Browser } from '@playwright/test';
import { startBareWriteServer } from './bare-write-server';
import { pageRowIdScript, type WithRowIds } from './page-row-ids';

/**
 * The bare floor of bench/replay: the same number of sequential POSTs from a Chromium page to the
 * bare write route (bench/lib/bare-write-server.ts): one SQLite insert each, nothing of Rally's.
 */
export async function measureBareFloor(browser: Browser, count: number): Promise<number> {
  const bare = await startBareWriteServer();
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.addInitScript(pageRowIdScript);
  try {
    const page = await context.newPage();
    await page.goto(bare.url);
    return await page.evaluate(async (count) => {
      const started = performance.now();
      for (let i = 1; i <= count; i++) {
        const response = await fetch('/write', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: (globalThis as unknown as WithRowIds).newRowId(), title: `bare ${i}`, startsAt: new Date(Date.now() + 86_400_000).toISOString() }),
        });
        if (!response.ok) throw new Error(`bare floor write ${i} answered ${response.status}`);
        await response.json();
      }
      return performance.now() - started;
    }, count);
  } finally {
    await context.close();
    await bare.close();
  }
}
