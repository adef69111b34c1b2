import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SQLITE_PAGE_SIZE } from './connect';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

/** A WAL database file as the server opens it, with one table. */
function openFile() {
  const dir = mkdtempSync(path.join(tmpdir(), 'rally-checkpoint-'));
  const file = path.join(dir, 'test.db');
  const sqlite = new SQLite(file);
  sqlite.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('create table notes (id integer primary key, body text not null)');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => {
    if (sqlite.open) sqlite.close();
  });
  const insert = sqlite.prepare('insert into notes (body) values (?)');
  /** `count` writes, each its own transaction, as the server commits them. */
  const write = (count: number) => {
    for (let i = 0; i < count; i++) insert.run('x'.repeat(200));
  };
  return { file, sqlite, write };
}

function started(sqlite: SQLite.Database, file: string, options: Parameters<typeof startWalCheckpointer>[2]): WalCheckpointer {
  const checkpointer = startWalCheckpointer(sqlite, file, options);
  cleanups.push(() => checkpointer.stop());
  return checkpointer;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(10);
  }
}

describe('the WAL checkpointer', () => {
  it('copies the log into the database file from its own thread; the writer never checkpoints', async () => {
    const { file, sqlite, write } = openFile();
    started(sqlite, file, { intervalMs: 10 });
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(file).size;
    // Well past SQLite's own threshold (1,000 pages), which would have checkpointed in a commit.
    write(3_000);
    // Only a checkpoint writes pages into the database file itself.
    await until(() => statSync(file).size > before + 500_000, 'the rows reached the database file');
    expect(sqlite.prepare('select count(*) as n from notes').get()).toEqual({ n: 3_000 });
  });

  it('starts the log over once it passes the bound, though writes never pause', async () => {
    const { file, sqlite, write } = openFile();
    started(sqlite, file, { intervalMs: 5, restartAboveFrames: 200 });
    // The log file keeps the largest size it reached: first let the thread come up.
    const before = statSync(file).size;
    write(20);
    await until(() => statSync(file).size > before, 'the thread checkpointed');
    // A frame is a page and its 24-byte header.
    const framesInLog = () => statSync(`${file}-wal`).size / (SQLITE_PAGE_SIZE + 24);
    // Writes with no gap long enough for a passive pass to catch up at the moment one begins.
    for (let round = 0; round < 100; round++) {
      write(50);
      await sleep(1);
    }
    // Without the restart the log would hold every frame written (~5,000 pages and more).
    expect(framesInLog()).toBeLessThan(2_500);
  });

  it('stops when asked; the last connection to close then removes the log', async () => {
    const { file, sqlite, write } = openFile();
    const checkpointer = started(sqlite, file, { intervalMs: 10 });
    write(100);
    await checkpointer.stop();
    sqlite.close();
    expect(() => statSync(`${file}-wal`)).toThrow();
    const reader = new SQLite(file, { readonly: true });
    cleanups.push(() => {
      reader.close();
    });
    expect(reader.prepare('select count(*) as n from notes').get()).toEqual({ n: 100 });
  });

  it('keeps a process that has nothing else to do alive until it has stopped', () => {
    const { file, sqlite } = openFile();
    sqlite.close();
    // A script that closes its database and then goes on, as a one-off task would.
    const script = path.join(path.dirname(file), 'close-then-go-on.mts');
    writeFileSync(
      script,
      [
        `import SQLite from ${JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('better-sqlite3')).href)};`,
        `import { startWalCheckpointer } from ${JSON.stringify(path.resolve('server/db/wal-checkpointer.ts'))};`,
        `const sqlite = new SQLite(${JSON.stringify(file)});`,
        `await startWalCheckpointer(sqlite, ${JSON.stringify(file)}).stop();`,
        `sqlite.close();`,
        `console.log('went on');`,
      ].join('\n'),
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('went on');
  });

  it('hands checkpointing back to the connection when its thread fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { file, sqlite } = openFile();
    // The thread cannot open a file that is not there.
    started(sqlite, `${file}.missing`, { intervalMs: 10 });
    await until(() => sqlite.pragma('wal_autocheckpoint', { simple: true }) === 1000, 'the connection checkpoints again');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('checkpointing on the main thread again'));
  });
});
