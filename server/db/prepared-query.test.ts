import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { preparedQuery } from './prepared-query';
import type { Database } from './schema';

async function database() {
  const sqlite = new SQLite(':memory:');
  sqlite.exec('create table change_sequence (id integer primary key, value integer not null); insert into change_sequence values (1, 0)');
  sqlite.exec('create table mutation_clients (user_id text, client_id text, last_mutation_id integer, primary key (user_id, client_id))');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), plugins: [new CamelCasePlugin()] });
}

describe('preparedQuery', () => {
  it('runs the query built once with each call’s values, rows camel-cased', async () => {
    const db = await database();
    let builds = 0;
    const upsert = preparedQuery<'userId' | 'clientId' | 'id'>((db, param) => {
      builds++;
      return db
        .insertInto('mutationClients')
        .values({ userId: param('userId'), clientId: param('clientId'), lastMutationId: param('id') })
        .onConflict((oc) => oc.columns(['userId', 'clientId']).doUpdateSet({ lastMutationId: param('id') }));
    });
    await upsert(db, { userId: 'u', clientId: 'a', id: 1 });
    await upsert(db, { userId: 'u', clientId: 'b', id: 7 });
    await db.transaction().execute((trx) => upsert(trx, { userId: 'u', clientId: 'a', id: 3 }));
    expect(builds).toBe(1);
    const rows = await db.selectFrom('mutationClients').selectAll().orderBy('clientId').execute();
    expect(rows).toEqual([
      { userId: 'u', clientId: 'a', lastMutationId: 3 },
      { userId: 'u', clientId: 'b', lastMutationId: 7 },
    ]);
    await db.destroy();
  });

  it('refuses a value kysely would write into the SQL text instead of binding', async () => {
    const db = await database();
    const inlined = preparedQuery<'id'>((db, param) => db.updateTable('mutationClients').set({ lastMutationId: sql.lit(param('id')) }));
    await expect(inlined(db, { id: 1 })).rejects.toThrow(/written into the SQL text/);
    await db.destroy();
  });
});
