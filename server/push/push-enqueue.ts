import { newRowId, type Activity, type AppNotification, type Message, type NotificationKind } from '../../protocol';
import type { ActivityEvents, ChangeStamp } from '../activities/activity-events';
import type { Viewer } from '../auth/authenticate';
import type { ChatEvents } from '../chat/chat-events';
import type { Db } from '../db/connect';
import { activityMembers, conversationDevices, conversationPeople, findPushConversation, notBlocking, notMuting, wantingPush } from './push-audience';
import { devicesOfUsers } from './devices-store';
import { insertNotifications, toAppNotification, type NotificationRow } from './notifications-store';
import { messagePayload, notificationPayload, truncateForPush } from './push-payload';
import { enqueuePushes } from './push-outbox-store';

/** The events that make pushes and notifications. */
export const ACTIVITY_PUSH_CAUSES = ['updated', 'invited'] as const satisfies readonly (keyof ActivityEvents)[];
export const CHAT_PUSH_CAUSES = ['messageSent'] as const satisfies readonly (keyof ChatEvents)[];

/** The events that make pushes and notifications, heard inside the change's own transaction. */
export interface PushCauses {
  activity: Pick<ActivityEvents, (typeof ACTIVITY_PUSH_CAUSES)[number]>;
  chat: Pick<ChatEvents, (typeof CHAT_PUSH_CAUSES)[number]>;
  /** How many pushes this transaction queued (the dispatcher is woken after commit when any). */
  queued(): number;
  /** Who got a notification, and at which position: their devices are told to pull after commit. */
  notified(): { userId: string; seq: number }[];
}

/**
 * Turns a change into its notifications and push-outbox rows, written with `db` (the change's
 * transaction): if the change rolls back, so do they. Recipients come from membership now, at
 * enqueue time; `actor` (who made the change) never hears of their own change.
 */
export function pushCausesIn(db: Db, actor: Viewer): PushCauses {
  let queued = 0;
  const notified: { userId: string; seq: number }[] = [];

  async function notify(kind: NotificationKind, userIds: string[], stamp: ChangeStamp, content: Omit<AppNotification, 'id' | 'kind' | 'createdAt' | 'readAt'>) {
    const rows: NotificationRow[] = userIds.map((userId) => ({
      id: newRowId(),
      userId,
      kind,
      ...content,
      body: truncateForPush(content.body, 1000),
      createdAt: stamp.at,
      readAt: null,
      seq: stamp.seq,
    }));
    await insertNotifications(db, rows);
    notified.push(...rows.map((row) => ({ userId: row.userId, seq: row.seq })));
    return rows;
  }

  async function pushNotifications(kind: NotificationKind, rows: NotificationRow[], stamp: ChangeStamp) {
    const wanting = new Set(await wantingPush(db, rows.map((row) => row.userId), kind));
    const devices = await devicesOfUsers(db, [...wanting]);
    const byUser = new Map(rows.map((row) => [row.userId, row]));
    queued += await enqueuePushes(
      db,
      devices.map((device) => ({
        device,
        kind,
        payload: notificationPayload({ userId: device.userId, kind, notification: toAppNotification(byUser.get(device.userId)!), senderName: actor.displayName, sentAt: new Date(stamp.at) }),
      })),
      stamp.at,
    );
  }

  async function messageSent(message: Message, stamp: ChangeStamp) {
    const conversation = await findPushConversation(db, message.conversationId);
    if (!conversation) return;
    const isAnnouncement = message.kind === 'announcement' && conversation.activityId !== null;
    const title = conversation.activityTitle ?? message.senderName;
    const notifications = isAnnouncement
      ? await notify('announcement', await conversationPeople(db, conversation, message.senderId), stamp, {
          title,
          body: message.body,
          url: `/activities/${conversation.activityId}`,
          activityId: conversation.activityId,
          conversationId: message.conversationId,
          actorId: message.senderId,
        })
      : [];
    const byUser = new Map(notifications.map((row) => [row.userId, toAppNotification(row)]));
    const kind = isAnnouncement ? 'announcement' : 'message';
    const devices = await conversationDevices(db, conversation, message.senderId);
    const holders = [...new Set(devices.map((device) => device.userId))];
    // A muted conversation never pushes; its announcements still reach the notification center.
    const recipients = new Set(await notBlocking(db, await notMuting(db, await wantingPush(db, holders, kind), message.conversationId, stamp.at), message.senderId));
    queued += await enqueuePushes(
      db,
      devices
        .filter((device) => recipients.has(device.userId))
        .map((device) => {
          const notification = byUser.get(device.userId);
          return { device, kind, payload: messagePayload({ userId: device.userId, message, title, sentAt: new Date(stamp.at), ...(notification ? { notification } : {}) }) };
        }),
      stamp.at,
    );
  }

  async function updated(activity: Activity, _previousVisibility: Activity['visibility'], stamp: ChangeStamp) {
    const members = (await activityMembers(db, activity.id)).filter((id) => id !== actor.id);
    const rows = await notify('activity-update', members, stamp, {
      title: activity.title,
      body: `${actor.displayName} updated the details`,
      url: `/activities/${activity.id}`,
      activityId: activity.id,
      conversationId: null,
      actorId: actor.id,
    });
    await pushNotifications('activity-update', rows, stamp);
  }

  async function invited(activity: Activity, userId: string, stamp: ChangeStamp) {
    if (userId === actor.id) return;
    const rows = await notify('invitation', [userId], stamp, {
      title: activity.title,
      body: `${actor.displayName} invited you`,
      url: `/activities/${activity.id}`,
      activityId: activity.id,
      conversationId: null,
      actorId: actor.id,
    });
    await pushNotifications('invitation', rows, stamp);
  }

  return { activity: { updated, invited }, chat: { messageSent }, queued: () => queued, notified: () => notified };
}
