import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, sql, type Dialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config';
import { groupCommitSqliteDialect } from './group-commit';
import type { Database } from './schema';
import { withStatementCache } from './statement-cache';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: Config['database']['kind'];
  /** True when the database answers a trivial query. */
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

export function connectDatabase(database: Config['database']): DatabaseHandle {
  const dialect = database.kind === 'sqlite' ? sqliteDialect(database.file) : postgresDialect(database.url);
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
      await db.destroy();
    },
  };
}

function sqliteDialect(file: string): Dialect {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets readers run beside the writer; busy_timeout rides out a second process's write.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return groupCommitSqliteDialect(sqlite, withStatementCache(sqlite));
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
