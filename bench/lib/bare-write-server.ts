import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import { SQLITE_PAGE_SIZE } from '../../server/db/connect';

/**
 * The floor the write benchmarks compare Rally with: a bare fastify route, `POST /write`, that does
 * one SQLite insert on a file like Rally's (its page size, WAL, synchronous NORMAL). No auth, no validation, no
 * change log, no exactly-once record: what a write costs here when nothing but the round trip and
 * one insert is paid for. `GET /` answers a blank page, for a browser to fetch from.
 */
export async function startBareWriteServer(): Promise<{ url: string; writes: () => number; close: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rally-bare-floor-'));
  const sqlite = new SQLite(path.join(dir, 'bare.db'));
  sqlite.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('create table writes (id text primary key, body text not null)');
  const insert = sqlite.prepare('insert into writes (id, body) values (?, ?)');
  const count = sqlite.prepare('select count(*) as n from writes');
  const app = Fastify({ logger: false });
  app.get('/', async (_request, reply) => reply.type('text/html').send('<!doctype html><title>bare floor</title>'));
  app.post('/write', async (request) => {
    const body = request.body as { id: string };
    insert.run(body.id, JSON.stringify(body));
    return { ok: true };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    writes: () => (count.get() as { n: number }).n,
    close: async () => {
      await app.close();
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
