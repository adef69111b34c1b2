import { describe, expect, it } from 'vitest';
import type { Call } from '../protocol/calls';
import type { PushPayload } from '../protocol/push';
import { callNotificationContent, countOf, isOnScreen, notificationContent } from './notification-content';

const C = '22222222-2222-4222-8222-222222222222';
const payload: PushPayload = {
  v: 1,
  kind: 'message',
  userId: '11111111-1111-4111-8111-111111111111',
  title: 'Ana',
  body: 'See you at 7',
  url: `/chat/${C}`,
  tag: `conversation:${C}`,
  conversationId: C,
  message: null,
  notification: null,
  senderName: 'Ana',
  sentAt: '2026-12-02T02:00:00.000Z',
};

describe('notificationContent', () => {
  it('shows a first message as it came, and counts repeats of its conversation', () => {
    expect(notificationContent(payload, 0).title).toBe('Ana');
    expect(notificationContent(payload, 0).options.data.count).toBe(1);
    const third = notificationContent(payload, 2);
    expect(third.title).toBe('3 new messages from Ana');
    expect(third.options.body).toBe('See you at 7');
    expect(third.options.tag).toBe(`conversation:${C}`);
    expect(third.options.data).toMatchObject({ url: `/chat/${C}`, count: 3 });
  });

  it('never collapses other kinds, and offers "Mark read" on notifications', () => {
    const announcement = { ...payload, kind: 'announcement' as const, title: 'Sunrise hike', notification: null };
    expect(notificationContent(announcement, 4).title).toBe('Sunrise hike');
    expect(notificationContent(announcement, 0).options.actions).toBeUndefined();
    const withRow = { ...announcement, notification: { id: C } as PushPayload['notification'] };
    expect(notificationContent(withRow, 0).options.actions).toEqual([{ action: 'mark-read', title: 'Mark read' }]);
  });
});

describe('countOf', () => {
  it('reads the count a shown notification stands for', () => {
    expect(countOf(undefined)).toBe(0);
    expect(countOf({ data: { count: 2 } })).toBe(2);
    expect(countOf({ data: null })).toBe(1);
  });
});

describe('isOnScreen', () => {
  it('is true only for a visible window on the conversation', () => {
    const on = { url: `https://rally.test/chat/${C}`, visibilityState: 'visible' as const };
    expect(isOnScreen(payload, [on])).toBe(true);
    expect(isOnScreen(payload, [{ ...on, visibilityState: 'hidden' }])).toBe(false);
    expect(isOnScreen(payload, [{ ...on, url: 'https://rally.test/chat' }])).toBe(false);
    expect(isOnScreen({ conversationId: null }, [on])).toBe(false);
  });
});

describe('callNotificationContent', () => {
  const call: Call = {
    id: '33333333-3333-4333-8333-333333333333',
    conversationId: C,
    callerId: '44444444-4444-4444-8444-444444444444',
    callerName: 'Ana',
    calleeId: payload.userId,
    kind: 'video',
    state: 'ringing',
    createdAt: '2026-12-02T02:00:00.000Z',
    answeredAt: null,
    endedAt: null,
    endReason: null,
  };
  const callPayload = { ...payload, kind: 'call' as const, tag: `call:${call.id}`, message: null };
  const ringsUntil = '2026-12-02T02:00:30.000Z';
  const during = new Date('2026-12-02T02:00:10.000Z');
  const after = new Date('2026-12-02T02:00:31.000Z');

  it('rings with Accept and Decline, and stays until acted on, while the call rings', () => {
    const content = callNotificationContent(callPayload, { call, ringsUntil }, during);
    expect(content.title).toBe('Ana');
    expect(content.options).toMatchObject({ body: 'Incoming video call', tag: `call:${call.id}`, requireInteraction: true, data: { callId: call.id, url: `/chat/${C}` } });
    expect(content.options.actions?.map((a) => a.action)).toEqual(['call-accept', 'call-decline']);
  });

  it('shows a ringing push that came after the ring as a missed call, with nothing to accept', () => {
    const content = callNotificationContent(callPayload, { call, ringsUntil }, after);
    expect(content.options).toMatchObject({ body: 'Missed video call', data: { callId: null } });
    expect(content.options.actions).toBeUndefined();
    expect(content.options.requireInteraction).toBeUndefined();
  });

  it('says what became of a call over before the answer; quietly when the callee dealt with it elsewhere', () => {
    const ended = (endReason: Call['endReason']) => callNotificationContent(callPayload, { call: { ...call, kind: 'audio', state: 'ended', endReason }, ringsUntil: null }, during).options;
    expect(ended('no_answer')).toMatchObject({ body: 'Missed voice call', silent: false });
    expect(ended('cancelled')).toMatchObject({ body: 'Missed voice call', silent: false });
    expect(ended('declined')).toMatchObject({ body: 'Declined voice call', silent: true });
    expect(ended('answered_elsewhere')).toMatchObject({ body: 'Answered on another device', silent: true });
  });
});
