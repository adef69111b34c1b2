import { callPushTag, PUSH_PAYLOAD_VERSION, textOfMessage, type AppNotification, type Call, type Message, type PushKind, type PushPayload } from '../../protocol';

/**
 * The payloads the worker reads (`PushPayload`, parsed with `readPushData`). Pure: the caller
 * gives the clock. A message push carries the message so a tap shows it offline; any other
 * push carries its notification.
 */

/** What the lock screen shows of a message: enough to know what it is about. */
export const PUSH_BODY_MAX_CHARS = 180;
/**
 * Web Push carries at most 4096 bytes after encryption (about 3990 of plaintext) and FCM data at
 * most 4 KB: a payload over this leaves its message out (the worker then shows the truncated body
 * and loads the message on tap).
 */
export const PUSH_PAYLOAD_MAX_BYTES = 3_000;

export function truncateForPush(text: string, max = PUSH_BODY_MAX_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}

export const chatTag = (conversationId: string) => `chat:${conversationId}`;
export const notificationTag = (notificationId: string) => `notification:${notificationId}`;

/** A chat line (or an announcement in its room) for `userId`. `title`: the activity's title or the sender's name. */
export function messagePayload(input: { userId: string; message: Message; title: string; sentAt: Date; notification?: AppNotification }): PushPayload {
  const { message, notification } = input;
  const payload: PushPayload = {
    v: PUSH_PAYLOAD_VERSION,
    kind: message.kind === 'announcement' ? 'announcement' : 'message',
    userId: input.userId,
    title: truncateForPush(input.title, 200),
    body: truncateForPush(message.kind === 'announcement' ? textOfMessage(message) : `${message.senderName}: ${textOfMessage(message)}`),
    // An announcement leads to its activity, and stays in its own notification beside the chat's.
    url: notification ? notification.url : `/chat/${message.conversationId}`,
    tag: notification ? notificationTag(notification.id) : chatTag(message.conversationId),
    conversationId: message.conversationId,
    message,
    notification: notification ?? null,
    senderName: message.senderName,
    sentAt: input.sentAt.toISOString(),
  };
  return fitted(payload);
}

/** An activity update or an invitation, carrying the notification the center lists. */
export function notificationPayload(input: { userId: string; kind: Exclude<PushKind, 'message' | 'call'>; notification: AppNotification; senderName: string | null; sentAt: Date }): PushPayload {
  const { notification } = input;
  return fitted({
    v: PUSH_PAYLOAD_VERSION,
    kind: input.kind,
    userId: input.userId,
    title: truncateForPush(notification.title, 200),
    body: truncateForPush(notification.body),
    url: notification.url,
    tag: notificationTag(notification.id),
    conversationId: notification.conversationId,
    message: null,
    notification: { ...notification, body: truncateForPush(notification.body, 1000) },
    senderName: input.senderName,
    sentAt: input.sentAt.toISOString(),
  });
}

/**
 * A call for its callee: ringing (until `ringsUntil`), or over before anyone answered. The worker
 * words it (sw/notification-content.ts); the title and body here are for anything that shows a
 * push without reading it (and the FCM console).
 */
export function callPayload(input: { call: Call; ringsUntil: string | null; sentAt: Date }): PushPayload {
  const { call } = input;
  const what = call.kind === 'video' ? 'video call' : 'voice call';
  return {
    v: PUSH_PAYLOAD_VERSION,
    kind: 'call',
    userId: call.calleeId,
    title: truncateForPush(call.callerName, 200),
    body: call.state === 'ringing' ? `Incoming ${what}` : `Missed ${what}`,
    url: `/chat/${call.conversationId}`,
    tag: callPushTag(call.id),
    conversationId: call.conversationId,
    message: null,
    notification: null,
    call: { call, ringsUntil: input.ringsUntil },
    senderName: truncateForPush(call.callerName, 200),
    sentAt: input.sentAt.toISOString(),
  };
}

function fitted(payload: PushPayload): PushPayload {
  if (Buffer.byteLength(JSON.stringify(payload)) <= PUSH_PAYLOAD_MAX_BYTES) return payload;
  const lighter = { ...payload, message: null };
  if (Buffer.byteLength(JSON.stringify(lighter)) <= PUSH_PAYLOAD_MAX_BYTES) return lighter;
  return { ...lighter, notification: payload.notification && { ...payload.notification, body: payload.body } };
}
