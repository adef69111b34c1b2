import { sql, type Kysely, type RawBuilder } from 'kysely';
import { MESSAGE_PAGE_SIZE, pairKey, type Change, type Checkin, type Like, type Member } from '../../protocol';
import { selectConversations, selectMessages, takesPart, toConversation, toMessage, toReceipt } from '../chat/chat-store';
import { toActivity } from '../db/activities-store';
import { readCurrentSeq } from '../db/change-sequence';
import type { Database } from '../db/schema';
import { AFTER_ALL_KINDS, KIND, SNAPSHOT_KINDS, type SyncCursor } from './sync-cursor';

type Db = Kysely<Database>;

export interface SyncPage {
  changes: Change[];
  cursor: SyncCursor;
  hasMore: boolean;
}

/** `a` (an activities row) is something `userId` may see now. */
function visible(userId: string): RawBuilder<boolean> {
  return sql<boolean>`(a.deleted_at is null and (a.visibility = 'public' or a.owner_id = ${userId}
    or exists (select 1 from activity_members vm where vm.activity_id = a.id and vm.user_id = ${userId})
    or exists (select 1 from activity_invites vi where vi.activity_id = a.id and vi.user_id = ${userId})))`;
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

// ---------------------------------------------------------------------------------------------
// Snapshot: the current state in key order, table by table. Changes made during the walk have
// positions above `upTo` and arrive again in the log phase, so a walk that straddles them is
// still right in the end.

async function readSnapshotPage(
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

/** The position at or above which a conversation's messages are in its newest page (0: it has fewer). */
function newestPageFloorOf(conversationId: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`coalesce((select fm.seq from messages fm where fm.conversation_id = ${conversationId}
                                order by fm.seq desc limit 1 offset ${MESSAGE_PAGE_SIZE - 1}), 0)`;
}

function conversationChange(row: Parameters<typeof toConversation>[0]): Change {
  return { entity: 'conversation', op: 'upsert', id: row.id, version: Number(row.seq), data: toConversation(row) };
}

function messageChange(row: Parameters<typeof toMessage>[0]): Change {
  const message = toMessage(row);
  return { entity: 'message', op: 'upsert', id: message.id, version: message.seq, data: message };
}

function receiptChange(row: Parameters<typeof toReceipt>[0] & { seq: number | string }): Change {
  const receipt = toReceipt(row);
  return { entity: 'receipt', op: 'upsert', id: pairKey(receipt.conversationId, receipt.userId), version: Number(row.seq), data: receipt };
}

function checkinChange(row: Checkin & { seq: number }): Change {
  const data: Checkin = { activityId: row.activityId, userId: row.userId, checkedInAt: row.checkedInAt };
  return { entity: 'checkin', op: 'upsert', id: pairKey(row.activityId, row.userId), version: Number(row.seq), data };
}

function memberChange(row: Member & { seq: number }): Change {
  const data: Member = { activityId: row.activityId, userId: row.userId, displayName: row.displayName, role: row.role, joinedAt: row.joinedAt };
  return { entity: 'member', op: 'upsert', id: pairKey(row.activityId, row.userId), version: Number(row.seq), data };
}

function likeChange(row: Like & { seq: number }): Change {
  const data: Like = { activityId: row.activityId, userId: row.userId, createdAt: row.createdAt };
  return { entity: 'like', op: 'upsert', id: pairKey(row.activityId, row.userId), version: Number(row.seq), data };
}

// ---------------------------------------------------------------------------------------------
// Log: changes after the cursor, by position. A row's position is its own last change, or the
// moment the user was granted sight of its activity (an invitation, or the activity becoming
// public), whichever is later: a grant delivers the whole activity even if it last changed long ago.

interface LogItem {
  kind: number;
  id: string;
  aid: string;
  eff: number;
  ver: number | null;
}

async function readLogPage(db: Db, userId: string, cursor: Extract<SyncCursor, { phase: 'log' }>, limit: number): Promise<SyncPage> {
  // Inner filters take `>= c`: a page may have ended part-way through the changes at position c;
  // the outer filter then skips what was already delivered.
  const c = cursor.seq;
  const vis = visible(userId);
  const talk = takesPart(userId);
  const result = await sql<LogItem>`
    with grants as (
      select gid, max(gseq) as gseq from (
        select activity_id as gid, seq as gseq from activity_invites where user_id = ${userId} and seq >= ${c}
        union all
        select id as gid, public_since_seq as gseq from activities where visibility = 'public' and public_since_seq >= ${c}
      ) granted group by gid
    ),
    -- A member gains sight of the activity's room (its newest page and receipts) when they join.
    room_grants as (
      select m.activity_id as gid, m.seq as gseq from activity_members m where m.user_id = ${userId} and m.seq >= ${c}
    ),
    -- Each kind in two index-driven halves: rows that changed since c, and (for the rest) rows of
    -- activities granted since c. An OR of the two would scan every row on every pull.
    items as (
      select ${sql.lit(KIND.activity)} as kind, a.id as id, a.id as aid,
             case when g.gseq > a.seq then g.gseq else a.seq end as eff, cast(null as bigint) as ver
        from activities a left join grants g on g.gid = a.id
       where a.seq >= ${c} and ${vis}
      union all
      select ${sql.lit(KIND.activity)}, a.id, a.id, g.gseq, cast(null as bigint)
        from grants g join activities a on a.id = g.gid
       where a.seq < ${c} and ${vis}
      union all
      select ${sql.lit(KIND.member)}, m.activity_id || ':' || m.user_id, m.activity_id,
             case when g.gseq > m.seq then g.gseq else m.seq end, cast(null as bigint)
        from activity_members m join activities a on a.id = m.activity_id left join grants g on g.gid = m.activity_id
       where m.seq >= ${c} and ${vis}
      union all
      select ${sql.lit(KIND.member)}, m.activity_id || ':' || m.user_id, m.activity_id, g.gseq, cast(null as bigint)
        from grants g join activity_members m on m.activity_id = g.gid join activities a on a.id = m.activity_id
       where m.seq < ${c} and ${vis}
      union all
      select ${sql.lit(KIND.like)}, l.activity_id || ':' || l.user_id, l.activity_id,
             case when g.gseq > l.seq then g.gseq else l.seq end, cast(null as bigint)
        from activity_likes l join activities a on a.id = l.activity_id left join grants g on g.gid = l.activity_id
       where l.seq >= ${c} and ${vis}
      union all
      select ${sql.lit(KIND.like)}, l.activity_id || ':' || l.user_id, l.activity_id, g.gseq, cast(null as bigint)
        from grants g join activity_likes l on l.activity_id = g.gid join activities a on a.id = l.activity_id
       where l.seq < ${c} and ${vis}
      union all
      select ${sql.lit(KIND.checkin)}, k.activity_id || ':' || k.user_id, k.activity_id,
             case when g.gseq > k.seq then g.gseq else k.seq end, cast(null as bigint)
        from activity_checkins k join activities a on a.id = k.activity_id left join grants g on g.gid = k.activity_id
       where k.seq >= ${c} and ${vis}
      union all
      select ${sql.lit(KIND.checkin)}, k.activity_id || ':' || k.user_id, k.activity_id, g.gseq, cast(null as bigint)
        from grants g join activity_checkins k on k.activity_id = g.gid join activities a on a.id = k.activity_id
       where k.seq < ${c} and ${vis}
      union all
      select ${sql.lit(KIND.conversation)}, cv.id, cv.id,
             case when g.gseq > cv.seq then g.gseq else cv.seq end, cast(null as bigint)
        from conversations cv left join room_grants g on g.gid = cv.id
       where cv.seq >= ${c} and ${talk}
      union all
      select ${sql.lit(KIND.conversation)}, cv.id, cv.id, g.gseq, cast(null as bigint)
        from room_grants g join conversations cv on cv.id = g.gid
       where cv.seq < ${c} and ${talk}
      union all
      select ${sql.lit(KIND.message)}, m.id, m.conversation_id,
             case when g.gseq > m.seq then g.gseq else m.seq end, cast(null as bigint)
        from messages m join conversations cv on cv.id = m.conversation_id left join room_grants g on g.gid = cv.id
       where m.seq >= ${c} and ${talk}
      union all
      select ${sql.lit(KIND.message)}, m.id, m.conversation_id, g.gseq, cast(null as bigint)
        from room_grants g join conversations cv on cv.id = g.gid join messages m on m.conversation_id = cv.id
       where m.seq < ${c} and m.seq >= ${newestPageFloorOf(sql.ref('cv.id'))} and ${talk}
      union all
      select ${sql.lit(KIND.receipt)}, r.conversation_id || ':' || r.user_id, r.conversation_id,
             case when g.gseq > r.seq then g.gseq else r.seq end, cast(null as bigint)
        from conversation_receipts r join conversations cv on cv.id = r.conversation_id left join room_grants g on g.gid = cv.id
       where r.seq >= ${c} and ${talk}
      union all
      select ${sql.lit(KIND.receipt)}, r.conversation_id || ':' || r.user_id, r.conversation_id, g.gseq, cast(null as bigint)
        from room_grants g join conversations cv on cv.id = g.gid join conversation_receipts r on r.conversation_id = cv.id
       where r.seq < ${c} and ${talk}
      union all
      select ${sql.lit(KIND.tombstone)}, t.entity || '|' || t.entity_id, t.activity_id, t.seq, t.version
        from tombstones t join activities a on a.id = t.activity_id
       where t.seq >= ${c} and (t.user_id is null or t.user_id = ${userId})
         and (case when t.entity = 'activity' then not ${vis}
                   when t.entity = 'conversation' then (a.deleted_at is not null
                     or not exists (select 1 from activity_members tm where tm.activity_id = t.activity_id and tm.user_id = ${userId}))
                   else ${vis} end)
    )
    select kind, id, aid, eff, ver from items
     where eff > ${c} or (eff = ${c} and (kind > ${cursor.kind} or (kind = ${cursor.kind} and id > ${cursor.afterId})))
     order by eff, kind, id
     limit ${limit + 1}`.execute(db);

  const items = result.rows.map((row) => ({ ...row, kind: Number(row.kind), eff: Number(row.eff) }));
  const pageItems = items.slice(0, limit);
  const changes = await hydrate(db, userId, pageItems);
  const last = pageItems.at(-1);
  const next: SyncCursor = last ? { ...cursor, seq: last.eff, kind: last.kind, afterId: last.id } : cursor;
  return { changes, cursor: next, hasMore: items.length > limit };
}

/** Loads the rows the items name, in item order; rows that vanished meanwhile are skipped. */
async function hydrate(db: Db, userId: string, items: LogItem[]): Promise<Change[]> {
  const activityIds = items.filter((i) => i.kind === KIND.activity).map((i) => i.id);
  const pairActivityIds = [
    ...new Set(items.filter((i) => i.kind === KIND.member || i.kind === KIND.like || i.kind === KIND.checkin).map((i) => i.aid)),
  ];
  const [activities, members, likes, checkins] = await Promise.all([
    activityIds.length === 0
      ? []
      : db
          .selectFrom('activities as a')
          .innerJoin('users as u', 'u.id', 'a.ownerId')
          .selectAll('a')
          .select('u.displayName as ownerName')
          .where('a.id', 'in', activityIds)
          .where(visible(userId))
          .execute(),
    items.some((i) => i.kind === KIND.member) ? loadMembers(db, userId, pairActivityIds) : [],
    items.some((i) => i.kind === KIND.like) ? loadLikes(db, userId, pairActivityIds) : [],
    items.some((i) => i.kind === KIND.checkin) ? loadCheckins(db, userId, pairActivityIds) : [],
  ]);
  const idsOf = (kind: number) => items.filter((i) => i.kind === kind).map((i) => i.id);
  const [conversationIds, messageIds, receiptConversationIds] = [idsOf(KIND.conversation), idsOf(KIND.message), [
    ...new Set(items.filter((i) => i.kind === KIND.receipt).map((i) => i.aid)),
  ]];
  const [conversations, messages, receipts] = await Promise.all([
    conversationIds.length === 0 ? [] : selectConversations(db).where('cv.id', 'in', conversationIds).where(takesPart(userId)).execute(),
    messageIds.length === 0
      ? []
      : selectMessages(db).innerJoin('conversations as cv', 'cv.id', 'm.conversationId').where('m.id', 'in', messageIds).where(takesPart(userId)).execute(),
    receiptConversationIds.length === 0
      ? []
      : db
          .selectFrom('conversationReceipts as r')
          .innerJoin('conversations as cv', 'cv.id', 'r.conversationId')
          .select(['r.conversationId', 'r.userId', 'r.deliveredSeq', 'r.readSeq', 'r.seq'])
          .where('r.conversationId', 'in', receiptConversationIds)
          .where(takesPart(userId))
          .execute(),
  ]);
  const conversationById = new Map(conversations.map((row) => [row.id, row]));
  const messageById = new Map(messages.map((row) => [row.id, row]));
  const receiptById = new Map(receipts.map((row) => [pairKey(row.conversationId, row.userId), row]));
  const checkinById = new Map(checkins.map((row) => [pairKey(row.activityId, row.userId), row]));
  const activityById = new Map(activities.map((row) => [row.id, row]));
  const memberById = new Map(members.map((row) => [pairKey(row.activityId, row.userId), row]));
  const likeById = new Map(likes.map((row) => [pairKey(row.activityId, row.userId), row]));

  const changes: Change[] = [];
  for (const item of items) {
    if (item.kind === KIND.activity) {
      const row = activityById.get(item.id);
      if (row) changes.push({ entity: 'activity', op: 'upsert', id: row.id, version: Number(row.version), data: toActivity(row) });
    } else if (item.kind === KIND.member) {
      const row = memberById.get(item.id);
      if (row) changes.push(memberChange(row));
    } else if (item.kind === KIND.like) {
      const row = likeById.get(item.id);
      if (row) changes.push(likeChange(row));
    } else if (item.kind === KIND.checkin) {
      const row = checkinById.get(item.id);
      if (row) changes.push(checkinChange(row));
    } else if (item.kind === KIND.conversation) {
      const row = conversationById.get(item.id);
      if (row) changes.push(conversationChange(row));
    } else if (item.kind === KIND.message) {
      const row = messageById.get(item.id);
      if (row) changes.push(messageChange(row));
    } else if (item.kind === KIND.receipt) {
      const row = receiptById.get(item.id);
      if (row) changes.push(receiptChange(row));
    } else {
      const separator = item.id.indexOf('|');
      const entity = item.id.slice(0, separator) as 'activity' | 'member' | 'like' | 'checkin' | 'conversation';
      changes.push({ entity, op: 'delete', id: item.id.slice(separator + 1), version: Number(item.ver), data: null });
    }
  }
  return changes;
}

function loadMembers(db: Db, userId: string, activityIds: string[]) {
  return db
    .selectFrom('activityMembers as m')
    .innerJoin('activities as a', 'a.id', 'm.activityId')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select(['m.activityId', 'm.userId', 'm.role', 'm.joinedAt', 'm.seq', 'u.displayName'])
    .where('m.activityId', 'in', activityIds)
    .where(visible(userId))
    .execute();
}

function loadLikes(db: Db, userId: string, activityIds: string[]) {
  return db
    .selectFrom('activityLikes as l')
    .innerJoin('activities as a', 'a.id', 'l.activityId')
    .select(['l.activityId', 'l.userId', 'l.createdAt', 'l.seq'])
    .where('l.activityId', 'in', activityIds)
    .where(visible(userId))
    .execute();
}

function loadCheckins(db: Db, userId: string, activityIds: string[]) {
  return db
    .selectFrom('activityCheckins as k')
    .innerJoin('activities as a', 'a.id', 'k.activityId')
    .select(['k.activityId', 'k.userId', 'k.checkedInAt', 'k.seq'])
    .where('k.activityId', 'in', activityIds)
    .where(visible(userId))
    .execute();
}
