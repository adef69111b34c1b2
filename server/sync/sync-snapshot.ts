import { sql } from 'kysely';
import type { Change } from '../../protocol';
import { selectConversations, selectMessages, takesPart } from '../chat/chat-store';
import { toActivity } from '../db/activities-store';
import { AFTER_ALL_KINDS, KIND, SNAPSHOT_KINDS, type SyncCursor } from './sync-cursor';
import type { SyncPage } from './sync-feed';
import {
  checkinChange,
  conversationChange,
  likeChange,
  memberChange,
  messageChange,
  newestPageFloorOf,
  receiptChange,
  visible,
  type Db,
} from './sync-rows';

// Snapshot: the current state in key order, table by table. Changes made during the walk have
// positions above `upTo` and arrive again in the log phase, so a walk that straddles them is
// still right in the end.

export async function readSnapshotPage(
  db: Db,
  userId: string,
  cursor: Extract<SyncCursor, { phase: 'snapshot' }>,
  limit: number,
): Promise<SyncPage> {
  const changes: Change[] = [];
  let index = SNAPSHOT_KINDS.indexOf(cursor.kind as (typeof SNAPSHOT_KINDS)[number]);
  if (index < 0) index = SNAPSHOT_KINDS.length;
  let afterId = cursor.afterId;
  while (index < SNAPSHOT_KINDS.length) {
    const kind = SNAPSHOT_KINDS[index]!;
    const room = limit - changes.length;
    const rows = await readSnapshotKind(db, userId, kind, afterId, room + 1);
    changes.push(...rows.slice(0, room));
    if (rows.length > room) {
      const last = changes.at(-1);
      const next: SyncCursor = { ...cursor, kind, afterId: last ? snapshotKeyOf(last) : afterId };
      return { changes, cursor: next, hasMore: true };
    }
    index += 1;
    afterId = '';
    if (changes.length === limit) break;
  }
  if (index < SNAPSHOT_KINDS.length) return { changes, cursor: { ...cursor, kind: SNAPSHOT_KINDS[index]!, afterId: '' }, hasMore: true };
  // The walk is done: from here on the log, starting after everything at `upTo`.
  return {
    changes,
    cursor: { phase: 'log', epoch: cursor.epoch, seq: cursor.upTo, kind: AFTER_ALL_KINDS, afterId: '' },
    hasMore: false,
  };
}

/** Where a snapshot walk stands after a change: its key in the walk's order. Messages walk by (conversation, position). */
function snapshotKeyOf(change: Change): string {
  return change.entity === 'message' && change.op === 'upsert' ? `${change.data.conversationId}:${change.data.seq}` : change.id;
}

async function readSnapshotKind(db: Db, userId: string, kind: number, afterId: string, limit: number): Promise<Change[]> {
  if (kind === KIND.activity) {
    const rows = await db
      .selectFrom('activities as a')
      .innerJoin('users as u', 'u.id', 'a.ownerId')
      .selectAll('a')
      .select('u.displayName as ownerName')
      .where(visible(userId))
      .where('a.id', '>', afterId)
      .orderBy('a.id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ entity: 'activity', op: 'upsert', id: row.id, version: Number(row.version), data: toActivity(row) }));
  }
  const [afterActivity = '', afterUser = ''] = afterId ? afterId.split(':') : [];
  if (kind === KIND.member) {
    const rows = await db
      .selectFrom('activityMembers as m')
      .innerJoin('activities as a', 'a.id', 'm.activityId')
      .innerJoin('users as u', 'u.id', 'm.userId')
      .select(['m.activityId', 'm.userId', 'm.role', 'm.joinedAt', 'm.seq', 'u.displayName'])
      .where(visible(userId))
      .where((eb) => eb(eb.refTuple('m.activityId', 'm.userId'), '>', eb.tuple(afterActivity, afterUser)))
      .orderBy('m.activityId')
      .orderBy('m.userId')
      .limit(limit)
      .execute();
    return rows.map(memberChange);
  }
  if (kind === KIND.like) {
    const rows = await db
      .selectFrom('activityLikes as l')
      .innerJoin('activities as a', 'a.id', 'l.activityId')
      .select(['l.activityId', 'l.userId', 'l.createdAt', 'l.seq'])
      .where(visible(userId))
      .where((eb) => eb(eb.refTuple('l.activityId', 'l.userId'), '>', eb.tuple(afterActivity, afterUser)))
      .orderBy('l.activityId')
      .orderBy('l.userId')
      .limit(limit)
      .execute();
    return rows.map(likeChange);
  }
  if (kind === KIND.checkin) {
    const rows = await db
      .selectFrom('activityCheckins as k')
      .innerJoin('activities as a', 'a.id', 'k.activityId')
      .select(['k.activityId', 'k.userId', 'k.checkedInAt', 'k.seq'])
      .where(visible(userId))
      .where((eb) => eb(eb.refTuple('k.activityId', 'k.userId'), '>', eb.tuple(afterActivity, afterUser)))
      .orderBy('k.activityId')
      .orderBy('k.userId')
      .limit(limit)
      .execute();
    return rows.map(checkinChange);
  }
  if (kind === KIND.conversation) {
    const rows = await selectConversations(db).where(takesPart(userId)).where('cv.id', '>', afterId).orderBy('cv.id').limit(limit).execute();
    return rows.map(conversationChange);
  }
  if (kind === KIND.message) {
    // Conversation by conversation (key order), each from its newest page's floor: the index on
    // (conversation, position) serves every step, and older messages are never read.
    const afterConversation = afterActivity;
    const afterSeq = afterUser === '' ? -1 : Number(afterUser);
    const rows = await selectMessages(db)
      .innerJoin('conversations as cv', 'cv.id', 'm.conversationId')
      .where(takesPart(userId))
      .where('cv.id', '>=', afterConversation)
      .where(sql<boolean>`m.seq >= ${newestPageFloorOf(sql.ref('cv.id'))}`)
      .where((eb) => eb.or([eb('cv.id', '>', afterConversation), eb('m.seq', '>', afterSeq)]))
      .orderBy('m.conversationId')
      .orderBy('m.seq')
      .limit(limit)
      .execute();
    return rows.map((row) => messageChange(row));
  }
  const rows = await db
    .selectFrom('conversationReceipts as r')
    .innerJoin('conversations as cv', 'cv.id', 'r.conversationId')
    .select(['r.conversationId', 'r.userId', 'r.deliveredSeq', 'r.readSeq', 'r.seq'])
    .where(takesPart(userId))
    .where((eb) => eb(eb.refTuple('r.conversationId', 'r.userId'), '>', eb.tuple(afterActivity, afterUser)))
    .orderBy('r.conversationId')
    .orderBy('r.userId')
    .limit(limit)
    .execute();
  return rows.map(receiptChange);
}
