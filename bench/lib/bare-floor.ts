import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import type { Browser } from '@playwright/test';

/**
 * The bare floor of bench/replay: the same number of sequential POSTs from a Chromium page to a
 * bare fastify route that does one SQLite insert, on a file like Rally's (WAL, synchronous NORMAL).
 * No auth, no validation, no change log, no worker, no socket: what a write costs here when
 * nothing but the round trip and one insert is paid for.
 */
export async function measureBareFloor(browser: Browser, count: number): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rally-bare-floor-'));
  const sqlite = new SQLite(path.join(dir, 'bare.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('create table writes (id text primary key, body text not null)');
  const insert = sqlite.prepare('insert into writes (id, body) values (?, ?)');
  const app = Fastify({ logger: false });
  app.get('/', async (_request, reply) => reply.type('text/html').send('<!doctype html><title>bare floor</title>'));
  app.post('/write', async (request) => {
    const body = request.body as { id: string };
    insert.run(body.id, JSON.stringify(body));
    return { ok: true };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    await page.goto(url);
    return await page.evaluate(async (count) => {
      const started = performance.now();
      for (let i = 1; i <= count; i++) {
        const response = await fetch('/write', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: crypto.randomUUID(), title: `bare ${i}`, startsAt: new Date(Date.now() + 86_400_000).toISOString() }),
        });
        if (!response.ok) throw new Error(`bare floor write ${i} answered ${response.status}`);
        await response.json();
      }
      return performance.now() - started;
    }, count);
  } finally {
    await context.close();
    await app.close();
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
