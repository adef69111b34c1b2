import { sql } from 'kysely';
import { pairKey, type Change } from '../../protocol';
import { selectConversations, selectMessages, takesPart } from '../chat/chat-store';
import { toActivity } from '../db/activities-store';
import { readCurrentSeq } from '../db/change-sequence';
import { AFTER_ALL_KINDS, KIND, type SyncCursor } from './sync-cursor';
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

/**
 * How many positions one log page looks at, at most. Without a bound, a user who sees little of a
 * busy history (or a device away for months) would make one pull walk every change since its
 * cursor to fill a page. A window that yields less than a page still moves the cursor to its end,
 * with `hasMore`, so the client pulls on through the next window.
 */
export const LOG_WINDOW_POSITIONS = 10_000;

export async function readLogPage(
  db: Db,
  userId: string,
  cursor: Extract<SyncCursor, { phase: 'log' }>,
  limit: number,
  windowPositions = LOG_WINDOW_POSITIONS,
): Promise<SyncPage> {
  // Inner filters take `>= c`: a page may have ended part-way through the changes at position c;
  // the outer filter then skips what was already delivered. Everything stops at `hi`: a row
  // granted beyond it comes again, by its grant, in a later window.
  const c = cursor.seq;
  const head = await readCurrentSeq(db);
  const hi = Math.min(c + windowPositions, head);
  const vis = visible(userId);
  const talk = takesPart(userId);
  const result = await sql<LogItem>`
    with grants as (
      select gid, max(gseq) as gseq from (
        select activity_id as gid, seq as gseq from activity_invites where user_id = ${userId} and seq >= ${c} and seq <= ${hi}
        union all
        select id as gid, public_since_seq as gseq from activities where visibility = 'public' and public_since_seq >= ${c} and public_since_seq <= ${hi}
      ) granted group by gid
    ),
    -- A member gains sight of the activity's room (its newest page and receipts) when they join.
    room_grants as (
      select m.activity_id as gid, m.seq as gseq from activity_members m where m.user_id = ${userId} and m.seq >= ${c} and m.seq <= ${hi}
    ),
    -- Each kind in two index-driven halves: rows that changed since c, and (for the rest) rows of
    -- activities granted since c. An OR of the two would scan every row on every pull.
    items as (
      select ${sql.lit(KIND.activity)} as kind, a.id as id, a.id as aid,
             case when g.gseq > a.seq then g.gseq else a.seq end as eff, cast(null as bigint) as ver
        from activities a left join grants g on g.gid = a.id
       where a.seq >= ${c} and a.seq <= ${hi} and ${vis}
      union all
      select ${sql.lit(KIND.activity)}, a.id, a.id, g.gseq, cast(null as bigint)
        from grants g join activities a on a.id = g.gid
       where a.seq < ${c} and ${vis}
      union all
      select ${sql.lit(KIND.member)}, m.activity_id || ':' || m.user_id, m.activity_id,
             case when g.gseq > m.seq then g.gseq else m.seq end, cast(null as bigint)
        from activity_members m join activities a on a.id = m.activity_id left join grants g on g.gid = m.activity_id
       where m.seq >= ${c} and m.seq <= ${hi} and ${vis}
      union all
      select ${sql.lit(KIND.member)}, m.activity_id || ':' || m.user_id, m.activity_id, g.gseq, cast(null as bigint)
        from grants g join activity_members m on m.activity_id = g.gid join activities a on a.id = m.activity_id
       where m.seq < ${c} and ${vis}
      union all
      select ${sql.lit(KIND.like)}, l.activity_id || ':' || l.user_id, l.activity_id,
             case when g.gseq > l.seq then g.gseq else l.seq end, cast(null as bigint)
        from activity_likes l join activities a on a.id = l.activity_id left join grants g on g.gid = l.activity_id
       where l.seq >= ${c} and l.seq <= ${hi} and ${vis}
      union all
      select ${sql.lit(KIND.like)}, l.activity_id || ':' || l.user_id, l.activity_id, g.gseq, cast(null as bigint)
        from grants g join activity_likes l on l.activity_id = g.gid join activities a on a.id = l.activity_id
       where l.seq < ${c} and ${vis}
      union all
      select ${sql.lit(KIND.checkin)}, k.activity_id || ':' || k.user_id, k.activity_id,
             case when g.gseq > k.seq then g.gseq else k.seq end, cast(null as bigint)
        from activity_checkins k join activities a on a.id = k.activity_id left join grants g on g.gid = k.activity_id
       where k.seq >= ${c} and k.seq <= ${hi} and ${vis}
      union all
      select ${sql.lit(KIND.checkin)}, k.activity_id || ':' || k.user_id, k.activity_id, g.gseq, cast(null as bigint)
        from grants g join activity_checkins k on k.activity_id = g.gid join activities a on a.id = k.activity_id
       where k.seq < ${c} and ${vis}
      union all
      select ${sql.lit(KIND.conversation)}, cv.id, cv.id,
             case when g.gseq > cv.seq then g.gseq else cv.seq end, cast(null as bigint)
        from conversations cv left join room_grants g on g.gid = cv.id
       where cv.seq >= ${c} and cv.seq <= ${hi} and ${talk}
      union all
      select ${sql.lit(KIND.conversation)}, cv.id, cv.id, g.gseq, cast(null as bigint)
        from room_grants g join conversations cv on cv.id = g.gid
       where cv.seq < ${c} and ${talk}
      union all
      select ${sql.lit(KIND.message)}, m.id, m.conversation_id,
             case when g.gseq > m.seq then g.gseq else m.seq end, cast(null as bigint)
        from messages m join conversations cv on cv.id = m.conversation_id left join room_grants g on g.gid = cv.id
       where m.seq >= ${c} and m.seq <= ${hi} and ${talk}
      union all
      select ${sql.lit(KIND.message)}, m.id, m.conversation_id, g.gseq, cast(null as bigint)
        from room_grants g join conversations cv on cv.id = g.gid join messages m on m.conversation_id = cv.id
       where m.seq < ${c} and m.seq >= ${newestPageFloorOf(sql.ref('cv.id'))} and ${talk}
      union all
      select ${sql.lit(KIND.receipt)}, r.conversation_id || ':' || r.user_id, r.conversation_id,
             case when g.gseq > r.seq then g.gseq else r.seq end, cast(null as bigint)
        from conversation_receipts r join conversations cv on cv.id = r.conversation_id left join room_grants g on g.gid = cv.id
       where r.seq >= ${c} and r.seq <= ${hi} and ${talk}
      union all
      select ${sql.lit(KIND.receipt)}, r.conversation_id || ':' || r.user_id, r.conversation_id, g.gseq, cast(null as bigint)
        from room_grants g join conversations cv on cv.id = g.gid join conversation_receipts r on r.conversation_id = cv.id
       where r.seq < ${c} and ${talk}
      union all
      select ${sql.lit(KIND.tombstone)}, t.entity || '|' || t.entity_id, t.activity_id, t.seq, t.version
        from tombstones t join activities a on a.id = t.activity_id
       where t.seq >= ${c} and t.seq <= ${hi} and (t.user_id is null or t.user_id = ${userId})
         and (case when t.entity = 'activity' then not ${vis}
                   when t.entity = 'conversation' then (a.deleted_at is not null
                     or not exists (select 1 from activity_members tm where tm.activity_id = t.activity_id and tm.user_id = ${userId}))
                   else ${vis} end)
    )
    select kind, id, aid, eff, ver from items
     where (eff > ${c} or (eff = ${c} and (kind > ${cursor.kind} or (kind = ${cursor.kind} and id > ${cursor.afterId})))) and eff <= ${hi}
     order by eff, kind, id
     limit ${limit + 1}`.execute(db);

  const items = result.rows.map((row) => ({ ...row, kind: Number(row.kind), eff: Number(row.eff) }));
  const pageItems = items.slice(0, limit);
  const changes = await hydrate(db, userId, pageItems);
  const last = pageItems.at(-1);
  if (items.length > limit) return { changes, cursor: { ...cursor, seq: last!.eff, kind: last!.kind, afterId: last!.id }, hasMore: true };
  // The window is exhausted: everything up to `hi` is delivered.
  if (hi > c) return { changes, cursor: { ...cursor, seq: hi, kind: AFTER_ALL_KINDS, afterId: '' }, hasMore: hi < head };
  return { changes, cursor: last ? { ...cursor, seq: last.eff, kind: last.kind, afterId: last.id } : cursor, hasMore: false };
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
