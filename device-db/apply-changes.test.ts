import { describe, expect, it } from 'vitest';
import type { Activity, Change } from '../protocol';
import { planChanges, versionKey, type LocalChange } from './apply-changes';

const A = '11111111-1111-4111-8111-111111111111';
const U = '22222222-2222-4222-8222-222222222222';

function activity(version: number, title = 'Run'): Activity {
  return {
    id: A,
    ownerId: U,
    ownerName: 'Ana',
    title,
    description: '',
    location: 'Park',
    startsAt: '2026-12-01T10:00:00.000Z',
    endsAt: null,
    capacity: null,
    visibility: 'public',
    memberCount: 1,
    likeCount: 0,
    checkinCount: 0,
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    version,
  };
}

const upsertActivity = (version: number, title?: string): Change => ({ entity: 'activity', op: 'upsert', id: A, version, data: activity(version, title) });
const deleteActivity = (version: number): Change => ({ entity: 'activity', op: 'delete', id: A, version, data: null });
const upsertLike = (version: number): Change => ({
  entity: 'like',
  op: 'upsert',
  id: `${A}:${U}`,
  version,
  data: { activityId: A, userId: U, createdAt: '2026-11-02T10:00:00.000Z' },
});
const deleteLike = (version: number): Change => ({ entity: 'like', op: 'delete', id: `${A}:${U}`, version, data: null });

describe('planChanges', () => {
  it('writes new rows and derives their search text', () => {
    const plan = planChanges([upsertActivity(1, 'Morning Run'), upsertLike(5)], new Map());
    expect(plan.putActivities).toHaveLength(1);
    expect(plan.putActivities[0]?.searchText).toBe('morning run\npark\nana');
    expect(plan.putLikes).toEqual([expect.objectContaining({ activityId: A, userId: U, version: 5 })]);
  });

  it('never lets an older or equal version overwrite a newer one', () => {
    const stored = new Map([[versionKey('activity', A), 3]]);
    expect(planChanges([upsertActivity(2)], stored).putActivities).toEqual([]);
    expect(planChanges([upsertActivity(3)], stored).putActivities).toEqual([]);
    expect(planChanges([upsertActivity(4)], stored).putActivities).toHaveLength(1);
  });

  it('is idempotent: the same change twice in a batch lands once', () => {
    const plan = planChanges([upsertActivity(2, 'First'), upsertActivity(2, 'Duplicate')], new Map());
    expect(plan.putActivities.map((a) => a.title)).toEqual(['First']);
  });

  it('removes what a tombstone covers, and nothing newer than it', () => {
    expect(planChanges([deleteLike(7)], new Map([[versionKey('like', `${A}:${U}`), 5]])).deleteLikes).toEqual([[A, U]]);
    expect(planChanges([deleteLike(7)], new Map([[versionKey('like', `${A}:${U}`), 9]])).deleteLikes).toEqual([]);
  });

  it('applies a delete followed by a re-add in order', () => {
    const plan = planChanges([deleteLike(7), upsertLike(9)], new Map([[versionKey('like', `${A}:${U}`), 5]]));
    expect(plan.deleteLikes).toEqual([]);
    expect(plan.putLikes).toHaveLength(1);
  });

  it('drops everything under a deleted activity, including rows planned in the same batch', () => {
    const plan = planChanges([upsertActivity(1), upsertLike(4), deleteActivity(2)], new Map());
    expect(plan.putActivities).toEqual([]);
    expect(plan.putLikes).toEqual([]);
    expect(plan.deleteActivities).toEqual([A]);
  });

  it('updates counts only on a stored, older activity', () => {
    const counts: LocalChange = { entity: 'activity-counts', id: A, version: 5, memberCount: 3, likeCount: 2, updatedAt: '2026-11-03T10:00:00.000Z' };
    expect(planChanges([counts], new Map()).patchCounts).toEqual([]);
    expect(planChanges([counts], new Map([[versionKey('activity', A), 5]])).patchCounts).toEqual([]);
    expect(planChanges([counts], new Map([[versionKey('activity', A), 4]])).patchCounts).toEqual([
      { id: A, version: 5, memberCount: 3, likeCount: 2, updatedAt: '2026-11-03T10:00:00.000Z' },
    ]);
    const merged = planChanges([upsertActivity(4), counts], new Map());
    expect(merged.putActivities[0]).toMatchObject({ version: 5, memberCount: 3, likeCount: 2, updatedAt: '2026-11-03T10:00:00.000Z' });
  });

  it('keeps both a join and a check-in of one burst: the attendance patch does not drop the counts', () => {
    const joined: LocalChange = { entity: 'activity-counts', id: A, version: 5, memberCount: 3, likeCount: 2, updatedAt: '2026-11-03T10:00:00.000Z' };
    const checkedIn: LocalChange = { entity: 'activity-attendance', id: A, version: 6, checkinCount: 1, updatedAt: '2026-11-03T10:00:01.000Z' };
    expect(planChanges([joined, checkedIn], new Map([[versionKey('activity', A), 4]])).patchCounts).toEqual([
      { id: A, version: 6, memberCount: 3, likeCount: 2, checkinCount: 1, updatedAt: '2026-11-03T10:00:01.000Z' },
    ]);
  });

  it('replaces a pending message with the server copy, and a conversation tombstone takes its messages and receipts', () => {
    const M = '33333333-3333-4333-8333-333333333333';
    const message = (version: number): Change => ({
      entity: 'message',
      op: 'upsert',
      id: M,
      version,
      data: { id: M, conversationId: A, senderId: U, senderName: 'Ana', kind: 'text', body: 'hi', createdAt: '2026-11-02T10:00:00.000Z', seq: version },
    });
    const receipt: Change = { entity: 'receipt', op: 'upsert', id: `${A}:${U}`, version: 8, data: { conversationId: A, userId: U, deliveredSeq: 7, readSeq: 7 } };
    // The pending copy is stored at version 0: the server's numbered copy wins.
    expect(planChanges([message(7)], new Map([[versionKey('message', M), 0]])).putMessages).toEqual([expect.objectContaining({ id: M, seq: 7 })]);
    const gone = planChanges([message(7), receipt, { entity: 'conversation', op: 'delete', id: A, version: 9, data: null }], new Map());
    expect(gone.putMessages).toEqual([]);
    expect(gone.putReceipts).toEqual([]);
    expect(gone.deleteConversations).toEqual([A]);
  });

  it('a standing removal takes the room and its messages off the device; a lifted one leaves them', () => {
    const M = '33333333-3333-4333-8333-333333333333';
    const message: Change = {
      entity: 'message',
      op: 'upsert',
      id: M,
      version: 7,
      data: { id: M, conversationId: A, senderId: U, senderName: 'Ana', kind: 'text', body: 'hi', createdAt: '2026-11-02T10:00:00.000Z', seq: 7 },
    };
    const removal = (version: number, liftedAt: string | null): Change => ({
      entity: 'removal',
      op: 'upsert',
      id: A,
      version,
      data: { activityId: A, title: 'Run', removedAt: '2026-11-03T10:00:00.000Z', liftedAt },
    });
    const notification: Change = {
      entity: 'notification',
      op: 'upsert',
      id: M,
      version: 8,
      data: { id: M, kind: 'announcement', title: 'Run', body: 'Meet at 6', url: `/activities/${A}`, activityId: A, conversationId: A, actorId: U, createdAt: '2026-11-02T10:00:00.000Z', readAt: null },
    };
    const removed = planChanges([message, notification, removal(9, null)], new Map([[versionKey('conversation', A), 3]]));
    expect(removed.putMessages).toEqual([]);
    expect(removed.putNotifications).toEqual([]);
    expect(removed.deleteNotificationsOf).toEqual([A]);
    expect(removed.deleteConversations).toEqual([A]);
    expect(removed.putRemovals).toEqual([expect.objectContaining({ activityId: A, version: 9, liftedAt: null })]);
    const lifted = planChanges([removal(12, '2026-11-04T10:00:00.000Z'), message], new Map([[versionKey('removal', A), 9]]));
    expect(lifted.deleteConversations).toEqual([]);
    expect(lifted.putMessages).toEqual([expect.objectContaining({ id: M })]);
    // An older copy of the removal changes nothing.
    expect(planChanges([removal(8, null)], new Map([[versionKey('removal', A), 9]])).deleteConversations).toEqual([]);
  });

  it('patches attendance from a check-in event on a stored, older activity', () => {
    const attendance: LocalChange = { entity: 'activity-attendance', id: A, version: 6, checkinCount: 4, updatedAt: '2026-11-03T10:00:00.000Z' };
    expect(planChanges([attendance], new Map([[versionKey('activity', A), 5]])).patchCounts).toEqual([
      { id: A, version: 6, checkinCount: 4, updatedAt: '2026-11-03T10:00:00.000Z' },
    ]);
    expect(planChanges([attendance], new Map([[versionKey('activity', A), 6]])).patchCounts).toEqual([]);
  });
});

describe('planChanges for changing messages', () => {
  const M = '33333333-3333-4333-8333-333333333333';
  const message = (version: number, body: string, extra: object = {}): Change => ({
    entity: 'message',
    op: 'upsert',
    id: M,
    version,
    data: { id: M, conversationId: A, senderId: U, senderName: 'Ana', kind: 'text', body, createdAt: '2026-11-02T10:00:00.000Z', seq: 5, ...extra },
  });
  const hidden = (version: number): Change => ({ entity: 'hidden-message', op: 'upsert', id: M, version, data: { messageId: M, conversationId: A, hiddenAt: '2026-11-02T11:00:00.000Z' } });

  it('takes a later edit over the sent message, and keeps a later one over an earlier edit arriving late', () => {
    expect(planChanges([message(5, 'v1'), message(9, 'v2', { editedAt: 'x', version: 9 })], new Map()).putMessages.map((m) => m.body)).toEqual(['v2']);
    expect(planChanges([message(7, 'older edit', { version: 7 })], new Map([[versionKey('message', M), 9]])).putMessages).toEqual([]);
  });

  it('removes a message deleted for me, and keeps it away when it changes later in the same batch', () => {
    const plan = planChanges([message(5, 'v1'), hidden(6), message(9, 'edited', { version: 9 })], new Map());
    expect(plan.putMessages).toEqual([]);
    expect(plan.deleteMessages).toEqual([M]);
    expect(plan.putHiddenMessages.map((row) => row.messageId)).toEqual([M]);
  });
});
