import type { Change } from '../../protocol';
import type { Db } from '../db/connect';
import { AFTER_ALL_KINDS, type SyncCursor, type SyncPage } from './sync-cursor';
import { ALL_FEED_KINDS, type FeedKinds } from './sync-kinds';

// Snapshot: the current state in key order, kind by kind. Changes made during the walk have
// positions above `upTo` and arrive again in the log phase, so a walk that straddles them is
// still right in the end.

export async function readSnapshotPage(
  db: Db,
  userId: string,
  cursor: Extract<SyncCursor, { phase: 'snapshot' }>,
  limit: number,
  kinds: FeedKinds = ALL_FEED_KINDS,
): Promise<SyncPage> {
  const SNAPSHOT_KINDS = kinds.snapshot;
  const changes: Change[] = [];
  let index = SNAPSHOT_KINDS.findIndex((kind) => kind.kind === cursor.kind);
  if (index < 0) index = SNAPSHOT_KINDS.length;
  let afterKey = cursor.afterId;
  while (index < SNAPSHOT_KINDS.length) {
    const { kind, snapshot } = SNAPSHOT_KINDS[index]!;
    const room = limit - changes.length;
    const rows = await snapshot.readAfter(db, userId, afterKey, room + 1);
    changes.push(...rows.slice(0, room));
    if (rows.length > room) {
      const last = changes.at(-1);
      return { changes, cursor: { ...cursor, kind, afterId: last ? snapshot.keyOf(last) : afterKey }, hasMore: true };
    }
    index += 1;
    afterKey = '';
    if (changes.length === limit) break;
  }
  if (index < SNAPSHOT_KINDS.length) return { changes, cursor: { ...cursor, kind: SNAPSHOT_KINDS[index]!.kind, afterId: '' }, hasMore: true };
  // The walk is done: from here on the log, starting after everything at `upTo`.
  return {
    changes,
    cursor: { phase: 'log', epoch: cursor.epoch, seq: cursor.upTo, kind: AFTER_ALL_KINDS, afterId: '' },
    hasMore: false,
  };
}
