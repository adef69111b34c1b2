import { describe, expect, it } from 'vitest';
import type { AppNotification, Change } from '../protocol';
import { planChanges, versionKey } from './apply-changes';

const N = '33333333-3333-4333-8333-333333333333';
const U = '22222222-2222-4222-8222-222222222222';
const C = '44444444-4444-4444-8444-444444444444';

const row = (readAt: string | null): AppNotification => ({
  id: N, kind: 'invitation', title: 'Ana invited you', body: 'Dinner', url: '/notifications',
  activityId: null, conversationId: null, actorId: null, createdAt: '2026-12-01T10:00:00.000Z', readAt,
});
const notification = (version: number, readAt: string | null = null): Change => ({ entity: 'notification', op: 'upsert', id: N, version, data: row(readAt) });

describe('planChanges: the user\'s own rows (push, protocol 5)', () => {
  it('stores a notification only over an older copy (a pushed copy, version 0, never beats the feed)', () => {
    expect(planChanges([notification(5)], new Map()).putNotifications).toHaveLength(1);
    expect(planChanges([notification(0)], new Map([[versionKey('notification', N), 5]])).putNotifications).toEqual([]);
    const read = planChanges([notification(6, '2026-12-01T11:00:00.000Z')], new Map([[versionKey('notification', N), 5]]));
    expect(read.putNotifications[0]).toMatchObject({ readAt: '2026-12-01T11:00:00.000Z', version: 6 });
  });

  it('applies settings and mutes by version, and tombstones remove them', () => {
    const plan = planChanges(
      [
        { entity: 'user-settings', op: 'upsert', id: U, version: 3, data: { userId: U, push: { messages: false, announcements: true, activityUpdates: true, invitations: true } } },
        { entity: 'conversation-settings', op: 'upsert', id: C, version: 4, data: { conversationId: C, mutedUntil: '9999-12-31T23:59:59.999Z', pinnedAt: null, archivedAt: null } },
        { entity: 'conversation-settings', op: 'upsert', id: C, version: 2, data: { conversationId: C, mutedUntil: null, pinnedAt: null, archivedAt: null } },
      ],
      new Map(),
    );
    expect(plan.putUserSettings).toEqual([expect.objectContaining({ userId: U, version: 3 })]);
    expect(plan.putConversationSettings).toEqual([expect.objectContaining({ mutedUntil: '9999-12-31T23:59:59.999Z', version: 4 })]);
    const gone = planChanges([{ entity: 'notification', op: 'delete', id: N, version: 9, data: null }], new Map([[versionKey('notification', N), 5]]));
    expect(gone.deleteOwn.notifications).toEqual([N]);
  });

  it('keeps a block by version: an unblock that is newer wins, an older copy of the block does not come back', () => {
    const B = '55555555-5555-4555-8555-555555555555';
    const block = (version: number, blockedAt: string | null): Change => ({ entity: 'blocked-user', op: 'upsert', id: B, version, data: { userId: B, displayName: 'Ben', blockedAt } });
    const plan = planChanges([block(7, '2026-12-01T10:00:00.000Z'), block(9, null), block(8, '2026-12-01T10:05:00.000Z')], new Map());
    expect(plan.putBlockedUsers).toEqual([{ userId: B, displayName: 'Ben', blockedAt: null, version: 9 }]);
    // The optimistic row (version 0) is replaced by the server's.
    expect(planChanges([block(7, '2026-12-01T10:00:00.000Z')], new Map([[versionKey('blocked-user', B), 0]])).putBlockedUsers).toHaveLength(1);
    expect(planChanges([block(7, '2026-12-01T10:00:00.000Z')], new Map([[versionKey('blocked-user', B), 9]])).putBlockedUsers).toEqual([]);
  });
});
