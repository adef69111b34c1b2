import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Shared by the server suite and the end-to-end scale-out test: a database of their own on a real Postgres. */

/** A new, empty database on the Postgres server `adminUrl` names; `drop` removes it. */
export async function createThrowawayPostgresDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `rally_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      // The app's pool has ended, but its connections may still be closing: let them go rather
      // than terminate them (FORCE is only the fallback).
      for (let waited = 0; waited < 5_000; waited += 50) {
        const { rows } = await client.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if ((rows[0] as { n: number }).n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
