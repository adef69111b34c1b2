import type { PushPayload } from '../protocol/push';

/**
 * What a push shows, decided from the payload and the notification already shown under its tag
 * (pure: see notification-content.test.ts). Messages of one conversation collapse into one
 * notification that counts them ("3 new messages from Ana"); any other kind replaces its tag's.
 */

/** What the worker keeps in a notification's `data`, read back on click and by the next push of its tag. */
export interface ShownNotificationData {
  url: string;
  kind: PushPayload['kind'];
  userId: string;
  conversationId: string | null;
  /** The notification center's row, for "Mark read" and marking it read when opened. */
  notificationId: string | null;
  /** How many pushes this notification stands for (messages only count up). */
  count: number;
}

export interface NotificationContent {
  title: string;
  options: NotificationOptions & { data: ShownNotificationData; actions?: { action: string; title: string }[] };
}

export const MARK_READ_ACTION = 'mark-read';
const ICON = '/icons/icon-192.png';

/** The count a shown notification stands for; anything unreadable counts as one. */
export function countOf(shown: { data?: unknown } | undefined): number {
  const count = (shown?.data as Partial<ShownNotificationData> | undefined)?.count;
  return typeof count === 'number' && Number.isInteger(count) && count > 0 ? count : shown ? 1 : 0;
}

export function notificationContent(payload: PushPayload, alreadyShown: number): NotificationContent {
  const collapses = payload.kind === 'message' && alreadyShown > 0;
  const count = payload.kind === 'message' ? alreadyShown + 1 : 1;
  const from = payload.senderName ?? payload.title;
  const data: ShownNotificationData = {
    url: payload.url,
    kind: payload.kind,
    userId: payload.userId,
    conversationId: payload.conversationId,
    notificationId: payload.notification?.id ?? null,
    count,
  };
  return {
    title: collapses ? `${count} new messages from ${from}` : payload.title,
    options: {
      body: payload.body,
      icon: ICON,
      badge: ICON,
      tag: payload.tag,
      data,
      // The newest of a conversation replaces the last silently only if nothing was shown; a
      // collapsed count still alerts, as a new message should.
      ...({ renotify: true, timestamp: Date.parse(payload.sentAt) } as object),
      ...(payload.notification ? { actions: [{ action: MARK_READ_ACTION, title: 'Mark read' }] } : {}),
    },
  };
}

/** Whether a window already shows this push's conversation to the user (then the push shows nothing). */
export function isOnScreen(payload: Pick<PushPayload, 'conversationId'>, windows: readonly { url: string; visibilityState: DocumentVisibilityState }[]): boolean {
  if (!payload.conversationId) return false;
  const path = `/chat/${payload.conversationId}`;
  return windows.some((client) => client.visibilityState === 'visible' && new URL(client.url).pathname === path);
}
