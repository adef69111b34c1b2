import type { Selectable } from 'kysely';
import type { AppNotification } from '../../protocol';
import type { Db } from '../db/connect';
import type { NotificationsTable } from '../db/schema';

export type NotificationRow = Selectable<NotificationsTable>;

export function toAppNotification(row: NotificationRow): AppNotification {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    url: row.url,
    activityId: row.activityId,
    conversationId: row.conversationId,
    actorId: row.actorId,
    createdAt: row.createdAt,
    readAt: row.readAt,
  };
}

export async function insertNotifications(db: Db, rows: NotificationRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('notifications').values(rows).execute();
}

/** Which of `ids` are `userId`'s own notifications. */
export async function ownNotificationIds(db: Db, userId: string, ids: readonly string[]): Promise<Set<string>> {
  const rows = await db.selectFrom('notifications').select('id').where('userId', '=', userId).where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}

/** Marks unread ones read at `at`, moving them to position `seq`; how many changed. */
export async function markNotificationsRead(
  db: Db,
  userId: string,
  which: { ids: readonly string[] } | { upTo: string },
  stamp: { seq: number; at: string },
): Promise<number> {
  let query = db.updateTable('notifications').set({ readAt: stamp.at, seq: stamp.seq }).where('userId', '=', userId).where('readAt', 'is', null);
  query = 'ids' in which ? query.where('id', 'in', which.ids) : query.where('createdAt', '<=', which.upTo);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
