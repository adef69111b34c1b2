import type { Change } from '../../protocol';
import { readCurrentSeq } from '../db/change-sequence';
import { KIND, type SyncCursor } from './sync-cursor';
import { readLogPage } from './sync-log';
import type { Db } from './sync-rows';
import { readSnapshotPage } from './sync-snapshot';

/**
 * The delta feed: a first sync walks a snapshot (sync-snapshot.ts), then the log follows changes
 * by position (sync-log.ts); both deliver rows as sync-rows.ts shapes them.
 */

export interface SyncPage {
  changes: Change[];
  cursor: SyncCursor;
  hasMore: boolean;
}

export async function readEpoch(db: Db): Promise<string> {
  const row = await db.selectFrom('syncMeta').select('value').where('key', '=', 'epoch').executeTakeFirstOrThrow();
  return row.value;
}

/** A first sync: the cursor every client without one starts from. */
export async function startCursor(db: Db): Promise<SyncCursor> {
  return { phase: 'snapshot', epoch: await readEpoch(db), upTo: await readCurrentSeq(db), kind: KIND.activity, afterId: '' };
}

/** One page of changes for `userId` after `cursor`, at most `limit` long. */
export async function readSyncPage(db: Db, userId: string, cursor: SyncCursor, limit: number): Promise<SyncPage> {
  return cursor.phase === 'snapshot' ? readSnapshotPage(db, userId, cursor, limit) : readLogPage(db, userId, cursor, limit);
}
