import type { Database as SqliteHandle, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Enough for every statement the app's queries compile to; lists of varying length make more, and the oldest go. */
const DEFAULT_CAPACITY = 1000;

/**
 * better-sqlite3 as kysely's SQLite dialect sees it, keeping each statement it prepared by its
 * SQL text. Kysely's driver prepares every query afresh, and preparing (parsing and planning in
 * SQLite) cost more than running most of Rally's statements. SQLite re-prepares a kept statement
 * by itself when the schema changes under it. Kysely runs one query at a time on the one
 * connection, so a kept statement is never in use twice; one still iterating (a stream) is left
 * alone and a fresh one prepared.
 */
export function withStatementCache(sqlite: SqliteHandle, capacity = DEFAULT_CAPACITY): SqliteDatabase {
  const kept = new Map<string, Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const found = kept.get(sql);
      if (found && !found.busy) {
        // Least recently used goes first: a hit moves to the back.
        kept.delete(sql);
        kept.set(sql, found);
        return found;
      }
      const statement = sqlite.prepare(sql);
      if (found) return statement;
      kept.set(sql, statement);
      if (kept.size > capacity) kept.delete(kept.keys().next().value!);
      return statement;
    },
  };
}
