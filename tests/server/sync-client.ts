import { PROTOCOL_VERSION_HEADER, type Change, type SyncResponse } from '../../protocol';
import { request, type TestServer, type TestUser } from './harness';

/**
 * A minimal sync client for tests: keeps rows by entity and id, applies pages in order, and
 * follows the cursor the way the page does. Deleting an activity drops everything under it.
 */
export class SyncReplica {
  readonly rows = new Map<string, { version: number; data: unknown }>();
  cursor: string | undefined;
  pulls = 0;

  constructor(
    private readonly server: TestServer,
    private readonly user: TestUser,
    /** The protocol the replica names in PROTOCOL_VERSION_HEADER (none: a version-4 page, which sends no header). */
    private readonly protocolVersion?: number,
  ) {}

  apply(changes: Change[]): void {
    for (const change of changes) {
      const key = `${change.entity}/${change.id}`;
      if (change.op === 'upsert') {
        this.rows.set(key, { version: change.version, data: change.data });
        // "Delete for me": the message leaves this user's devices.
        if (change.entity === 'hidden-message') this.rows.delete(`message/${change.id}`);
      } else {
        this.rows.delete(key);
        if (change.entity === 'activity') {
          for (const other of [...this.rows.keys()]) {
            if (other.startsWith(`member/${change.id}:`) || other.startsWith(`like/${change.id}:`)) this.rows.delete(other);
          }
        }
        if (change.entity === 'conversation') {
          // A conversation takes its messages and receipts along.
          for (const [other, row] of [...this.rows.entries()]) {
            const belongs = (other.startsWith('message/') && (row.data as { conversationId: string }).conversationId === change.id) || other.startsWith(`receipt/${change.id}:`);
            if (belongs) this.rows.delete(other);
          }
        }
      }
    }
  }

  async pullOnce(limit = 500): Promise<SyncResponse> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (this.cursor) query.set('cursor', this.cursor);
    const headers = this.protocolVersion === undefined ? {} : { [PROTOCOL_VERSION_HEADER]: String(this.protocolVersion) };
    const response = await request<SyncResponse>(this.server, 'GET', `/api/sync?${query}`, { token: this.user.token, headers });
    if (response.status !== 200) throw new Error(`sync failed ${response.status}: ${JSON.stringify(response.body)}`);
    this.pulls += 1;
    this.apply(response.body.changes);
    this.cursor = response.body.cursor;
    return response.body;
  }

  async pullUntilDone(limit = 500): Promise<void> {
    for (let page = 0; page < 10_000; page++) {
      if (!(await this.pullOnce(limit)).hasMore) return;
    }
    throw new Error('sync did not finish');
  }

  /** Rows as a sorted, comparable list. */
  canonical(): string[] {
    return [...this.rows.entries()].map(([key, row]) => `${key}@${JSON.stringify(row.data)}`).sort();
  }

  keys(): string[] {
    return [...this.rows.keys()].sort();
  }
}

/** What a brand-new device of this user would hold after a full sync. */
export async function freshReplica(server: TestServer, user: TestUser, limit = 500, protocolVersion?: number): Promise<SyncReplica> {
  const replica = new SyncReplica(server, user, protocolVersion);
  await replica.pullUntilDone(limit);
  return replica;
}
