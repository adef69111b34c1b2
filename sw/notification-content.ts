import type { CallPush, PushPayload } from '../protocol/push';

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
  /** A call that rings: Accept and Decline act on it. Null for anything else, a missed call too. */
  callId: string | null;
}

export interface NotificationContent {
  title: string;
  options: NotificationOptions & { data: ShownNotificationData; actions?: { action: string; title: string }[]; requireInteraction?: boolean; vibrate?: number[] };
}

export const MARK_READ_ACTION = 'mark-read';
export const CALL_ACCEPT_ACTION = 'call-accept';
export const CALL_DECLINE_ACTION = 'call-decline';
/** A phone's ring, as far as a notification can: long buzzes with pauses. */
const RING_VIBRATION = [600, 300, 600, 300, 600, 300, 600];
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
    callId: null,
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

/**
 * A call's notification: it rings (Accept, Decline, and it stays until acted on) while the call
 * rings, and says what became of it once over, under the same tag, so the missed call replaces
 * the ringing one. A ringing push that arrives after the ring is over (the phone was off the
 * network) shows as missed. Over by the callee's own doing elsewhere (declined, answered on
 * another device), it replaces the ringing one quietly.
 */
export function callNotificationContent(payload: PushPayload, push: CallPush, now: Date): NotificationContent {
  const { call, ringsUntil } = push;
  const what = call.kind === 'video' ? 'video call' : 'voice call';
  const ringing = call.state === 'ringing' && ringsUntil !== null && Date.parse(ringsUntil) > now.getTime();
  const data: ShownNotificationData = {
    url: payload.url,
    kind: payload.kind,
    userId: payload.userId,
    conversationId: payload.conversationId,
    notificationId: null,
    count: 1,
    callId: ringing ? call.id : null,
  };
  const base = { icon: ICON, badge: ICON, tag: payload.tag, data, ...({ timestamp: Date.parse(call.createdAt) } as object) };
  if (ringing) {
    return {
      title: call.callerName,
      options: {
        ...base,
        body: `Incoming ${what}`,
        requireInteraction: true,
        vibrate: RING_VIBRATION,
        ...({ renotify: true } as object),
        actions: [
          { action: CALL_ACCEPT_ACTION, title: 'Accept' },
          { action: CALL_DECLINE_ACTION, title: 'Decline' },
        ],
      },
    };
  }
  const handledElsewhere = call.endReason === 'declined' || call.endReason === 'answered_elsewhere';
  return {
    title: call.callerName,
    options: {
      ...base,
      body: call.endReason === 'declined' ? `Declined ${what}` : call.endReason === 'answered_elsewhere' ? 'Answered on another device' : `Missed ${what}`,
      silent: handledElsewhere,
    },
  };
}

/** Whether a window already shows this push's conversation to the user (then the push shows nothing). */
export function isOnScreen(payload: Pick<PushPayload, 'conversationId'>, windows: readonly { url: string; visibilityState: DocumentVisibilityState }[]): boolean {
  if (!payload.conversationId) return false;
  const path = `/chat/${payload.conversationId}`;
  return windows.some((client) => client.visibilityState === 'visible' && new URL(client.url).pathname === path);
}
