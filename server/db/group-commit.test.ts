import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { groupCommitSqliteDialect } from './group-commit';

interface Schema {
  owners: { id: number };
  notes: { id: number; owner_id: number | null };
}

const opened: { dir: string; close: () => Promise<void> }[] = [];

afterEach(async () => {
  for (const { dir, close } of opened.splice(0)) {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The app's way of opening SQLite, on a file, and a second connection to that file that sees only what was committed. */
function open() {
  const dir = mkdtempSync(path.join(tmpdir(), 'rally-group-commit-'));
  const file = path.join(dir, 'test.db');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.exec('create table owners (id integer primary key)');
  // Deferred: a missing owner fails the COMMIT, not the insert.
  sqlite.exec('create table notes (id integer primary key, owner_id integer references owners (id) deferrable initially deferred)');
  let commits = 0;
  const counting = {
    close: () => sqlite.close(),
    prepare: (text: string) => sqlite.prepare(text),
  };
  const exec = sqlite.exec.bind(sqlite);
  sqlite.exec = (text: string) => {
    if (text === 'commit') commits++;
    return exec(text);
  };
  const db = new Kysely<Schema>({ dialect: groupCommitSqliteDialect(sqlite, counting) });
  const reader = new SQLite(file, { readonly: true });
  const committedIds = () => (reader.prepare('select id from notes order by id').all() as { id: number }[]).map((row) => row.id);
  opened.push({
    dir,
    close: async () => {
      reader.close();
      await db.destroy();
    },
  });
  return { db, committedIds, commits: () => commits };
}

const insertNote = (db: Kysely<Schema>, id: number, ownerId: number | null = null) => db.insertInto('notes').values({ id, owner_id: ownerId }).execute();

describe('group commit', () => {
  it('commits the transactions that arrive together once, and answers each only after that commit', async () => {
    const { db, committedIds, commits } = open();
    const seenAtAnswer: number[][] = [];
    await Promise.all(
      [1, 2, 3].map((id) =>
        db
          .transaction()
          .execute((trx) => insertNote(trx, id))
          .then(() => seenAtAnswer.push(committedIds())),
      ),
    );
    expect(commits()).toBe(1);
    // Every caller heard of its write when a second connection could already read all three.
    expect(seenAtAnswer).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });

  it('keeps the group open while writes keep arriving, and commits it in the first turn that brings none', async () => {
    const { db, committedIds, commits } = open();
    const write = (id: number) => db.transaction().execute((trx) => insertNote(trx, id));
    // 1 and 2 arrive in this turn; 3 two turns later, as the next requests of a busy server do.
    const nextTurns = new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
    const early = [write(1), write(2)];
    await nextTurns;
    await Promise.all([...early, write(3)]);
    expect(commits()).toBe(1);
    expect(committedIds()).toEqual([1, 2, 3]);
  });

  it('does not keep a group open for more than a few turns, however steadily writes arrive', async () => {
    const { db, committedIds, commits } = open();
    const writes: Promise<unknown>[] = [];
    for (let id = 1; id <= 12; id++) {
      writes.push(db.transaction().execute((trx) => insertNote(trx, id)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(writes);
    expect(committedIds()).toHaveLength(12);
    // A write every turn: each group ends after at most MAX_WAIT_TURNS (4) turns.
    expect(commits()).toBeGreaterThanOrEqual(3);
  });

  it('rolls back only the transaction that failed, not the others in its group', async () => {
    const { db, committedIds } = open();
    const results = await Promise.allSettled([
      db.transaction().execute((trx) => insertNote(trx, 1)),
      db.transaction().execute(async (trx) => {
        await insertNote(trx, 2);
        throw new Error('refused after writing');
      }),
      db.transaction().execute((trx) => insertNote(trx, 3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committedIds()).toEqual([1, 3]);
  });

  it('fails every transaction of a group whose COMMIT fails, and commits the next group as usual', async () => {
    const { db, committedIds } = open();
    const results = await Promise.allSettled([
      db.transaction().execute((trx) => insertNote(trx, 1)),
      db.transaction().execute((trx) => insertNote(trx, 2, 404)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(committedIds()).toEqual([]);

    await db.transaction().execute((trx) => insertNote(trx, 5));
    expect(committedIds()).toEqual([5]);
  });

  it('commits the open group before a query outside a transaction runs, so it reads only committed rows', async () => {
    const { db, committedIds } = open();
    const write = db.transaction().execute((trx) => insertNote(trx, 1));
    const read = db
      .selectFrom('notes')
      .select('id')
      .execute()
      .then((rows) => ({ rows, committed: committedIds() }));
    // The read waited for the connection, and the group committed before it ran.
    expect(await read).toEqual({ rows: [{ id: 1 }], committed: [1] });
    await write;
    expect(committedIds()).toEqual([1]);
  });

  it('commits a long run of transactions in bounded groups', async () => {
    const { db, committedIds, commits } = open();
    const ids = Array.from({ length: 200 }, (_, i) => i + 1);
    await Promise.all(ids.map((id) => db.transaction().execute((trx) => insertNote(trx, id))));
    expect(committedIds()).toEqual(ids);
    expect(commits()).toBeGreaterThanOrEqual(Math.ceil(ids.length / 64));
    expect(commits()).toBeLessThan(ids.length);
  });

  it('waits for a transaction that holds the connection across I/O before committing its group', async () => {
    const { db, committedIds } = open();
    const first = db.transaction().execute((trx) => insertNote(trx, 1));
    const slow = db.transaction().execute(async (trx) => {
      await insertNote(trx, 2);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await sql`select 1`.execute(trx);
    });
    await Promise.all([first, slow]);
    expect(committedIds()).toEqual([1, 2]);
  });
});
