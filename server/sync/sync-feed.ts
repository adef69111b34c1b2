import type { SyncResponse } from '../../protocol';
import { readCurrentSeq } from '../db/change-sequence';
import type { Db } from '../db/connect';
import { readPrunedBelow } from '../maintenance/history-pruning';
import { decodeSyncCursor, deliveredPosition, encodeSyncCursor, KIND, type SyncCursor, type SyncPage } from './sync-cursor';
import { LOG_WINDOW_POSITIONS, readLogPage } from './sync-log';
import { ALL_FEED_KINDS, feedKindsFor, type FeedKinds } from './sync-kinds';
import { readSnapshotPage } from './sync-snapshot';
import { changesReadableBy } from './older-pages';

/**
 * The delta feed: a first sync walks a snapshot (sync-snapshot.ts), then the log follows changes
 * by position (sync-log.ts); both walk the kinds of sync-kinds.ts.
 */

/** The feed as the route serves it: opaque cursors in, a page of the answer out. */
export interface SyncFeed {
  /**
   * One page for `userId` after `rawCursor` (none: a first sync), at most `limit` changes long,
   * of the kinds a page of `protocolVersion` can parse (default: every kind).
   */
  readPage(userId: string, rawCursor: string | undefined, limit: number, protocolVersion?: number): Promise<Omit<SyncResponse, 'lastMutationId'>>;
}

export function createSyncFeed(deps: { db: Db; cursorKey: Uint8Array }): SyncFeed {
  const { db, cursorKey } = deps;
  const decode = async (raw: string) =>
    decodeSyncCursor(raw, cursorKey, { epoch: await readEpoch(db), seq: await readCurrentSeq(db), prunedBelow: await readPrunedBelow(db) });
  return {
    async readPage(userId, rawCursor, limit, protocolVersion) {
      const cursor = rawCursor ? await decode(rawCursor) : await startCursor(db);
      const page = await readSyncPage(db, userId, cursor, limit, protocolVersion === undefined ? ALL_FEED_KINDS : feedKindsFor(protocolVersion));
      // Pruning may have run while the page was read: a cursor it overtook might have missed a removal.
      if (rawCursor) await decode(rawCursor);
      return {
        changes: changesReadableBy(page.changes, protocolVersion),
        cursor: encodeSyncCursor(page.cursor, cursorKey),
        hasMore: page.hasMore,
        position: deliveredPosition(page.cursor),
      };
    },
  };
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
export async function readSyncPage(db: Db, userId: string, cursor: SyncCursor, limit: number, kinds: FeedKinds = ALL_FEED_KINDS): Promise<SyncPage> {
  return cursor.phase === 'snapshot'
    ? readSnapshotPage(db, userId, cursor, limit, kinds)
    : readLogPage(db, userId, cursor, limit, LOG_WINDOW_POSITIONS, kinds);
}
