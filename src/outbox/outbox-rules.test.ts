import { describe, expect, it } from 'vitest';
import { DEFAULT_CAP, DEFAULT_EXPIRY_MS, activityIdOf, duplicateKeyOf, findDuplicate, isExpired, readOutboxSettings, targetOf, type RecentMutation } from './outbox-rules';

const fields = { title: 'Hike', description: '', location: '', startsAt: '2030-01-01T10:00:00.000Z', endsAt: null, capacity: null, visibility: 'public' as const };

describe('findDuplicate', () => {
  it('finds the same mutation on the same activity within 5 s, not after', () => {
    const recent = new Map<string, RecentMutation>([['a1', { signature: 'activity.like:{}', at: 1_000, mutationId: 7 }]]);
    expect(findDuplicate(recent, { name: 'activity.like', args: { id: 'a1' } }, 5_999)?.mutationId).toBe(7);
    expect(findDuplicate(recent, { name: 'activity.like', args: { id: 'a1' } }, 6_000)).toBeNull();
    expect(findDuplicate(recent, { name: 'activity.like', args: { id: 'a2' } }, 2_000)).toBeNull();
  });

  it('does not take like, unlike, like for a duplicate', () => {
    const recent = new Map<string, RecentMutation>([['a1', { signature: 'activity.unlike:{}', at: 1_000, mutationId: 8 }]]);
    expect(findDuplicate(recent, { name: 'activity.like', args: { id: 'a1' } }, 2_000)).toBeNull();
  });

  it('takes two creates with the same fields for one, whatever ids they carry', () => {
    const recent = new Map<string, RecentMutation>([[`create:${JSON.stringify(fields)}`, { signature: `create:${JSON.stringify(fields)}`, at: 0, mutationId: 3 }]]);
    expect(findDuplicate(recent, { name: 'activity.create', args: { id: 'other-id', fields } }, 100)?.mutationId).toBe(3);
    expect(findDuplicate(recent, { name: 'activity.create', args: { id: 'x', fields: { ...fields, title: 'Swim' } } }, 100)).toBeNull();
  });
});

describe('settings and expiry', () => {
  it('reads the cap and expiry from storage, with defaults', () => {
    expect(readOutboxSettings(null)).toEqual({ cap: DEFAULT_CAP, expiryMs: DEFAULT_EXPIRY_MS });
    const storage = { getItem: (key: string) => ({ 'rally:outboxCap': '200', 'rally:outboxExpiryMs': 'nonsense' })[key] ?? null };
    expect(readOutboxSettings(storage)).toEqual({ cap: 200, expiryMs: DEFAULT_EXPIRY_MS });
  });

  it('expires entries older than the limit', () => {
    const created = '2030-01-01T00:00:00.000Z';
    expect(isExpired(created, Date.parse(created) + DEFAULT_EXPIRY_MS, DEFAULT_EXPIRY_MS)).toBe(false);
    expect(isExpired(created, Date.parse(created) + DEFAULT_EXPIRY_MS + 1, DEFAULT_EXPIRY_MS)).toBe(true);
  });
});

describe('targetOf (protocol 5: mutations without an activity id)', () => {
  const C = '44444444-4444-4444-8444-444444444444';
  it('names what each writes, and only activity mutations have an activity', () => {
    expect(targetOf({ name: 'conversation.mute', args: { conversationId: C, mutedUntil: null } })).toBe(`mute:${C}`);
    expect(targetOf({ name: 'notification.readAll', args: { upTo: '2026-12-01T10:00:00.000Z' } })).toBe('notifications');
    expect(targetOf({ name: 'settings.push', args: { push: { messages: false } } })).toBe('settings.push');
    expect(activityIdOf({ name: 'settings.push', args: { push: { messages: false } } })).toBeNull();
    expect(activityIdOf({ name: 'activity.join', args: { id: 'a1' } })).toBe('a1');
    expect(activityIdOf({ name: 'message.send', args: { id: 'm1', conversationId: C, body: 'hi', kind: 'text' } })).toBeNull();
  });

  it('takes muting one chat twice for a duplicate, and muting then unmuting for two writes', () => {
    const mute = { name: 'conversation.mute' as const, args: { conversationId: C, mutedUntil: '9999-12-31T23:59:59.999Z' } };
    const { target, signature } = duplicateKeyOf(mute);
    const recent = new Map<string, RecentMutation>([[target, { signature, at: 0, mutationId: 4 }]]);
    expect(findDuplicate(recent, mute, 1_000)?.mutationId).toBe(4);
    expect(findDuplicate(recent, { ...mute, args: { conversationId: C, mutedUntil: null } }, 1_000)).toBeNull();
  });
});
