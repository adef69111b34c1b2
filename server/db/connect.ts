import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, sql, type Dialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config';
import { groupCommitSqliteDialect } from './group-commit';
import type { Database } from './schema';
import { withStatementCache } from './statement-cache';
import { startWalCheckpointer } from './wal-checkpointer';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: Config['database']['kind'];
  /** True when the database answers a trivial query. */
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

export function connectDatabase(database: Config['database']): DatabaseHandle {
  const { dialect, beforeClose } = database.kind === 'sqlite' ? sqliteDialect(database.file) : { dialect: postgresDialect(database.url), beforeClose: undefined };
  const db = new Kysely<Database>({ dialect, plugins: [new CamelCasePlugin()] });
  let closed = false;
  return {
    db,
    kind: database.kind,
    async isReachable() {
      if (closed) return false;
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await beforeClose?.();
      await db.destroy();
    },
  };
}

/**
 * A new database file's page size. A write dirties a page in each index it touches, and a commit
 * writes every dirty page whole to the WAL; each write is also held in a savepoint of its group
 * (see group-commit.ts), whose undo copies are whole pages too. Rally's rows and index entries are
 * small, so 1 KiB pages carry far fewer untouched bytes than SQLite's default 4 KiB: under
 * `bench/http` the statements of an activity's creation took 186 → 74 µs. Reads of whole tables
 * (a cold sync, a search) are measured by their own benchmarks with it.
 */
export const SQLITE_PAGE_SIZE = 1024;

function sqliteDialect(file: string): { dialect: Dialect; beforeClose?: () => Promise<void> } {
  const inMemory = file === ':memory:';
  if (!inMemory) mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // Set before the first table is made; an existing file keeps the page size it was made with.
  sqlite.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
  // WAL lets readers run beside the writer; busy_timeout rides out a second process's write.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const dialect = groupCommitSqliteDialect(sqlite, withStatementCache(sqlite));
  if (inMemory) return { dialect };
  // Stopped first: the last connection to close checkpoints what is left and removes the log.
  const checkpointer = startWalCheckpointer(sqlite, file);
  return { dialect, beforeClose: () => checkpointer.stop() };
}

// Sequence positions and counts are bigint in Postgres; they stay far below 2^53, so read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

function postgresDialect(url: string): PostgresDialect {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection that dies (Postgres restarted, or the connection was terminated) emits
  // 'error' on the pool; unheard, that would bring the whole process down. The pool drops the
  // dead client and the next query opens a new one.
  pool.on('error', (error) => {
    console.warn(`postgres: an idle connection was lost (${error.message}); it will be replaced`);
  });
  return new PostgresDialect({ pool });
}
