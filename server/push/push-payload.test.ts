import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readPushData, type AppNotification, type Message } from '../../protocol';
import { messagePayload, notificationPayload, PUSH_PAYLOAD_MAX_BYTES, truncateForPush } from './push-payload';

const sentAt = new Date('2026-06-01T12:00:00Z');
const message = (body: string, kind: Message['kind'] = 'text'): Message => ({
  id: randomUUID(),
  conversationId: randomUUID(),
  senderId: randomUUID(),
  senderName: 'Ana',
  kind,
  body,
  createdAt: sentAt.toISOString(),
  seq: 7,
});

describe('push payloads', () => {
  it('makes a message push the worker reads back whole, to its chat, tagged per conversation', () => {
    const sent = message('See you at the lake');
    const payload = messagePayload({ userId: randomUUID(), message: sent, title: 'Lake swim', sentAt });
    expect(readPushData(JSON.parse(JSON.stringify(payload)))).toEqual(payload);
    expect(payload).toMatchObject({ kind: 'message', url: `/chat/${sent.conversationId}`, tag: `chat:${sent.conversationId}`, body: 'Ana: See you at the lake', message: sent });
  });

  it('makes an announcement an announcement push', () => {
    expect(messagePayload({ userId: randomUUID(), message: message('Meet at 6', 'announcement'), title: 'Lake swim', sentAt }).kind).toBe('announcement');
  });

  it('truncates a long body for the lock screen, and leaves a message too big for a push service out', () => {
    const long = 'word '.repeat(1_000);
    const payload = messagePayload({ userId: randomUUID(), message: message(long), title: 'Lake swim', sentAt });
    expect([...payload.body].length).toBeLessThanOrEqual(180);
    expect(payload.message).toBeNull();
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThanOrEqual(PUSH_PAYLOAD_MAX_BYTES);
    expect(readPushData(payload)).toEqual(payload);
    expect(truncateForPush('a\n\n b')).toBe('a b');
  });

  it('carries a notification under its own tag', () => {
    const activityId = randomUUID();
    const notification: AppNotification = {
      id: randomUUID(),
      kind: 'invitation',
      title: 'Lake swim',
      body: 'Ana invited you',
      url: `/activities/${activityId}`,
      activityId,
      conversationId: null,
      actorId: randomUUID(),
      createdAt: sentAt.toISOString(),
      readAt: null,
    };
    const payload = notificationPayload({ userId: randomUUID(), kind: 'invitation', notification, senderName: 'Ana', sentAt });
    expect(readPushData(payload)).toEqual(payload);
    expect(payload).toMatchObject({ tag: `notification:${notification.id}`, url: `/activities/${activityId}`, notification });
  });
});
