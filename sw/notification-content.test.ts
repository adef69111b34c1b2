import { describe, expect, it } from 'vitest';
import type { PushPayload } from '../protocol/push';
import { countOf, isOnScreen, notificationContent } from './notification-content';

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
