import path from 'node:path';
import SQLite from 'better-sqlite3';

/** One row of the server's exactly-once bookkeeping (table `mutations`), in the order it was written. */
export interface MutationRecord {
  clientId: string;
  mutationId: number;
  name: string;
  /** 200: applied; 4xx: refused for the reason in `response`; 0 would be a claim never completed. */
  httpStatus: number;
  /** The answer the server gave, and gives again verbatim when the same mutation comes back. */
  response: { status?: string; resolution?: string; error?: { code: string; message: string } };
  createdAt: string;
}

/**
 * The server's own record of a user's mutations, read straight from its SQLite file (read-only,
 * beside the running server: the database is in WAL mode). Only a server of the test's own
 * (`ServerProcess`) has a data directory the test knows.
 */
export function readMutationRecords(dataDir: string, userId: string, clientId?: string): MutationRecord[] {
  const sqlite = new SQLite(path.join(dataDir, 'rally.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = sqlite
      .prepare(
        `select client_id as clientId, mutation_id as mutationId, name, http_status as httpStatus, response, created_at as createdAt
           from mutations where user_id = ? ${clientId ? 'and client_id = ?' : ''} order by rowid`,
      )
      .all(...(clientId ? [userId, clientId] : [userId])) as (Omit<MutationRecord, 'response'> & { response: string })[];
    return rows.map((row) => ({
      ...row,
      mutationId: Number(row.mutationId),
      httpStatus: Number(row.httpStatus),
      response: row.response ? (JSON.parse(row.response) as MutationRecord['response']) : {},
    }));
  } finally {
    sqlite.close();
  }
}

/** One analytics event as the server stored it (table `analytics_events`). */
export interface StoredAnalyticsEvent {
  id: string;
  kind: string;
  name: string;
  screen: string;
  props: Record<string, string | number | boolean>;
  message: string | null;
}

/** The analytics events the server stored for a user, read from its SQLite file like the records above. */
export function readAnalyticsEvents(dataDir: string, userId: string): StoredAnalyticsEvent[] {
  const sqlite = new SQLite(path.join(dataDir, 'rally.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = sqlite
      .prepare('select id, kind, name, screen, props, message from analytics_events where user_id = ? order by at')
      .all(userId) as (Omit<StoredAnalyticsEvent, 'props'> & { props: string })[];
    return rows.map((row) => ({ ...row, props: JSON.parse(row.props) as StoredAnalyticsEvent['props'] }));
  } finally {
    sqlite.close();
  }
}
