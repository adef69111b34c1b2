import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache';

function database() {
  const sqlite = new SQLite(':memory:');
  sqlite.exec('create table t (n integer)');
  return sqlite;
}

describe('withStatementCache', () => {
  it('prepares a statement once and hands back the same one for the same SQL', () => {
    const cached = withStatementCache(database());
    const first = cached.prepare('insert into t (n) values (?)');
    expect(cached.prepare('insert into t (n) values (?)')).toBe(first);
    first.run([1]);
    expect(cached.prepare('select count(*) as c from t').all([])).toEqual([{ c: 1 }]);
  });

  it('lets the least recently used statement go when full', () => {
    const cached = withStatementCache(database(), 2);
    const a = cached.prepare('select 1');
    const b = cached.prepare('select 2');
    expect(cached.prepare('select 1')).toBe(a); // `select 2` is now the oldest
    cached.prepare('select 3');
    expect(cached.prepare('select 1')).toBe(a);
    expect(cached.prepare('select 2')).not.toBe(b);
  });

  it('prepares a fresh statement while the kept one is still iterating', () => {
    const sqlite = database();
    sqlite.exec('insert into t (n) values (1), (2)');
    const cached = withStatementCache(sqlite);
    const outer = cached.prepare('select n from t order by n');
    const seen: unknown[] = [];
    for (const row of outer.iterate([])) seen.push(row, cached.prepare('select n from t order by n').all([]));
    expect(seen).toEqual([{ n: 1 }, [{ n: 1 }, { n: 2 }], { n: 2 }, [{ n: 1 }, { n: 2 }]]);
  });

  it('keeps working after the schema changes under a kept statement', () => {
    const sqlite = database();
    const cached = withStatementCache(sqlite);
    cached.prepare('insert into t (n) values (?)').run([1]);
    sqlite.exec('alter table t add column m integer default 7');
    cached.prepare('insert into t (n) values (?)').run([2]);
    expect(cached.prepare('select n, m from t order by n').all([])).toEqual([{ n: 1, m: 7 }, { n: 2, m: 7 }]);
  });
});
