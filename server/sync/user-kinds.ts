import { sql } from 'kysely';
import type { Change } from '../../protocol';
import type { Db } from '../db/connect';
import { toAppNotification, type NotificationRow } from '../push/notifications-store';
import { toConversationSettings, toUserSettings } from '../push/settings-store';
import { selectBlockRows, toBlockedUser, type BlockedUserRow } from '../safety/blocks-store';
import { KIND } from './sync-cursor';
import type { SyncKind } from './sync-kind';

/**
 * Kinds that belong to one user and to nobody else (their notifications and settings): no scope,
 * no grant, only the user's own rows by the position of their last change. They came with
 * protocol 5: an older page cannot parse them and is never sent them.
 */
interface OwnedKindSpec<Row> {
  kind: number;
  /** The first page protocol that knows the kind (default: PUSH_KINDS_SINCE_PROTOCOL). */
  sinceProtocolVersion?: number;
  /** The table as the log's SQL names it. */
  table: string;
  /** The column the change id is (its own id, or the conversation's). */
  keyColumn: string;
  readAfter(db: Db, userId: string, afterKey: string, limit: number): Promise<Row[]>;
  readByKeys(db: Db, userId: string, keys: string[]): Promise<Row[]>;
  toChange(row: Row): Change;
}

export const PUSH_KINDS_SINCE_PROTOCOL = 5;

function ownedKind<Row>(spec: OwnedKindSpec<Row>): SyncKind {
  return {
    kind: spec.kind,
    sinceProtocolVersion: spec.sinceProtocolVersion ?? PUSH_KINDS_SINCE_PROTOCOL,
    // Names are written in code, never input.
    logItems: (userId, { from, to }) => sql`
      select ${sql.lit(spec.kind)} as kind, ${sql.raw(spec.keyColumn)} as id, user_id as scope_id, seq as feed_position, cast(null as bigint) as tombstone_version
        from ${sql.raw(spec.table)} where user_id = ${userId} and seq >= ${from} and seq <= ${to}`,
    loadChanges: async (db, userId, items) => {
      const rows = await spec.readByKeys(db, userId, items.map((item) => item.id));
      return new Map(rows.map(spec.toChange).map((change) => [change.id, change]));
    },
    snapshot: {
      readAfter: async (db, userId, afterKey, limit) => (await spec.readAfter(db, userId, afterKey, limit)).map(spec.toChange),
      keyOf: (change) => change.id,
    },
  };
}

export const notificationKind = ownedKind<NotificationRow>({
  kind: KIND.notification,
  table: 'notifications',
  keyColumn: 'id',
  readAfter: (db, userId, afterKey, limit) =>
    db.selectFrom('notifications').selectAll().where('userId', '=', userId).where('id', '>', afterKey).orderBy('id').limit(limit).execute(),
  readByKeys: (db, userId, ids) => db.selectFrom('notifications').selectAll().where('userId', '=', userId).where('id', 'in', ids).execute(),
  toChange: (row) => ({ entity: 'notification', op: 'upsert', id: row.id, version: Number(row.seq), data: toAppNotification(row) }),
});

type UserSettingsRow = { userId: string; push: string; seq: number };

export const userSettingsKind = ownedKind<UserSettingsRow>({
  kind: KIND.userSettings,
  table: 'user_settings',
  keyColumn: 'user_id',
  readAfter: (db, userId, afterKey, limit) =>
    db.selectFrom('userSettings').selectAll().where('userId', '=', userId).where('userId', '>', afterKey).limit(limit).execute(),
  readByKeys: (db, userId) => db.selectFrom('userSettings').selectAll().where('userId', '=', userId).execute(),
  toChange: (row) => ({ entity: 'user-settings', op: 'upsert', id: row.userId, version: Number(row.seq), data: toUserSettings(row) }),
});

type ConversationSettingsRow = { conversationId: string; userId: string; mutedUntil: string | null; pinnedAt: string | null; archivedAt: string | null; seq: number };

export const conversationSettingsKind = ownedKind<ConversationSettingsRow>({
  kind: KIND.conversationSettings,
  table: 'conversation_settings',
  keyColumn: 'conversation_id',
  readAfter: (db, userId, afterKey, limit) =>
    db
      .selectFrom('conversationSettings')
      .selectAll()
      .where('userId', '=', userId)
      .where('conversationId', '>', afterKey)
      .orderBy('conversationId')
      .limit(limit)
      .execute(),
  readByKeys: (db, userId, ids) => db.selectFrom('conversationSettings').selectAll().where('userId', '=', userId).where('conversationId', 'in', ids).execute(),
  toChange: (row) => ({
    entity: 'conversation-settings',
    op: 'upsert',
    id: row.conversationId,
    version: Number(row.seq),
    data: toConversationSettings(row),
  }),
});

/** The protocol that added message edits, deletes, reactions, replies and "delete for me". */
export const MESSAGE_CHANGES_SINCE_PROTOCOL = 7;

type HiddenMessageRow = { userId: string; messageId: string; conversationId: string; hiddenAt: string; seq: number };

/** The user's "delete for me" rows: each takes its message off their devices and keeps it off. */
export const hiddenMessageKind = ownedKind<HiddenMessageRow>({
  kind: KIND.hiddenMessage,
  sinceProtocolVersion: MESSAGE_CHANGES_SINCE_PROTOCOL,
  table: 'hidden_messages',
  keyColumn: 'message_id',
  readAfter: (db, userId, afterKey, limit) =>
    db.selectFrom('hiddenMessages').selectAll().where('userId', '=', userId).where('messageId', '>', afterKey).orderBy('messageId').limit(limit).execute(),
  readByKeys: (db, userId, ids) => db.selectFrom('hiddenMessages').selectAll().where('userId', '=', userId).where('messageId', 'in', ids).execute(),
  toChange: (row) => ({
    entity: 'hidden-message',
    op: 'upsert',
    id: row.messageId,
    version: Number(row.seq),
    data: { messageId: row.messageId, conversationId: row.conversationId, hiddenAt: row.hiddenAt },
  }),
});

type RemovalRow = { activityId: string; userId: string; title: string; removedAt: string; liftedAt: string | null; seq: number };

/** The user's removals from activities (group roles, protocol 7): why a room left their devices, and whether they may come back. */
export const removalKind = ownedKind<RemovalRow>({
  kind: KIND.removal,
  sinceProtocolVersion: MESSAGE_CHANGES_SINCE_PROTOCOL,
  table: 'activity_removals',
  keyColumn: 'activity_id',
  readAfter: (db, userId, afterKey, limit) =>
    db
      .selectFrom('activityRemovals')
      .select(['activityId', 'userId', 'title', 'removedAt', 'liftedAt', 'seq'])
      .where('userId', '=', userId)
      .where('activityId', '>', afterKey)
      .orderBy('activityId')
      .limit(limit)
      .execute(),
  readByKeys: (db, userId, ids) =>
    db.selectFrom('activityRemovals').select(['activityId', 'userId', 'title', 'removedAt', 'liftedAt', 'seq']).where('userId', '=', userId).where('activityId', 'in', ids).execute(),
  toChange: (row) => ({
    entity: 'removal',
    op: 'upsert',
    id: row.activityId,
    version: Number(row.seq),
    data: { activityId: row.activityId, title: row.title, removedAt: row.removedAt, liftedAt: row.liftedAt },
  }),
});

/** The user's blocks (an unblocked row stays, `blockedAt` null): the people whose messages their devices hide. */
export const blockedUserKind = ownedKind<BlockedUserRow>({
  kind: KIND.blockedUser,
  sinceProtocolVersion: MESSAGE_CHANGES_SINCE_PROTOCOL,
  table: 'user_blocks',
  keyColumn: 'blocked_user_id',
  readAfter: (db, userId, afterKey, limit) => selectBlockRows(db, userId).where('b.blockedUserId', '>', afterKey).orderBy('b.blockedUserId').limit(limit).execute(),
  readByKeys: (db, userId, ids) => selectBlockRows(db, userId).where('b.blockedUserId', 'in', ids).execute(),
  toChange: (row) => ({ entity: 'blocked-user', op: 'upsert', id: row.blockedUserId, version: Number(row.seq), data: toBlockedUser(row) }),
});
