import {
  pairKey,
  type ActivityChangedEvent,
  type ActivityCountEvent,
  type ActivityDeletedEvent,
  type CheckinEvent,
  type MemberChangedEvent,
  type ConversationEvent,
  messageVersion,
  type MessageChangedEvent,
  type MessageEvent,
  type ReceiptEvent,
} from '../../protocol';
import type { LocalChange } from '../../device-db/apply-changes';

/** Realtime events as changes to the device's database: the same rules apply to both paths. */

export function changesOfActivityChanged(event: ActivityChangedEvent): LocalChange[] {
  return [{ entity: 'activity', op: 'upsert', id: event.activity.id, version: event.activity.version, data: event.activity }];
}

export function changesOfActivityDeleted(event: ActivityDeletedEvent): LocalChange[] {
  return [{ entity: 'activity', op: 'delete', id: event.activityId, version: event.version, data: null }];
}

export type CountEventKind = 'user_joined' | 'user_left' | 'like_added' | 'like_removed';

export function changesOfCountEvent(kind: CountEventKind, event: ActivityCountEvent): LocalChange[] {
  const id = pairKey(event.activityId, event.userId);
  const counts: LocalChange = {
    entity: 'activity-counts',
    id: event.activityId,
    version: event.version,
    memberCount: event.memberCount,
    likeCount: event.likeCount,
    // The count change is the activity's latest change: its time is the activity's updatedAt.
    updatedAt: event.at,
  };
  // Member and like rows are versioned by change position, which the event carries as `seq`.
  switch (kind) {
    case 'user_joined':
      return [
        counts,
        {
          entity: 'member',
          op: 'upsert',
          id,
          version: event.seq,
          data: { activityId: event.activityId, userId: event.userId, displayName: event.displayName, role: 'member', joinedAt: event.at },
        },
      ];
    case 'user_left':
      return [counts, { entity: 'member', op: 'delete', id, version: event.seq, data: null }];
    case 'like_added':
      return [counts, { entity: 'like', op: 'upsert', id, version: event.seq, data: { activityId: event.activityId, userId: event.userId, createdAt: event.at } }];
    case 'like_removed':
      return [counts, { entity: 'like', op: 'delete', id, version: event.seq, data: null }];
  }
}

/** A member's role changed: their row as it is now, at the change's position. */
export function changesOfMemberChanged(event: MemberChangedEvent): LocalChange[] {
  const { member } = event;
  return [{ entity: 'member', op: 'upsert', id: pairKey(member.activityId, member.userId), version: event.seq, data: member }];
}

export function changesOfCheckin(event: CheckinEvent): LocalChange[] {
  return [
    { entity: 'activity-attendance', id: event.activityId, version: event.version, checkinCount: event.checkinCount, updatedAt: event.at },
    {
      entity: 'checkin',
      op: 'upsert',
      id: pairKey(event.activityId, event.userId),
      version: event.seq,
      data: { activityId: event.activityId, userId: event.userId, checkedInAt: event.at },
    },
  ];
}

export function changesOfMessage(event: MessageEvent, me: string): LocalChange[] {
  const { message } = event;
  const changes: LocalChange[] = [{ entity: 'message', op: 'upsert', id: message.id, version: messageVersion(message), data: message }];
  // Sending is reading: the sender's watermarks moved with it (the server did the same).
  if (message.senderId === me) {
    changes.push({
      entity: 'receipt',
      op: 'upsert',
      id: pairKey(message.conversationId, me),
      version: event.seq,
      data: { conversationId: message.conversationId, userId: me, deliveredSeq: message.seq, readSeq: message.seq },
    });
  }
  return changes;
}

/** An edit, a delete for everyone or a reaction: the message as it is now, at the change's position. */
export function changesOfMessageChanged(event: MessageChangedEvent): LocalChange[] {
  return [{ entity: 'message', op: 'upsert', id: event.message.id, version: messageVersion(event.message), data: event.message }];
}

export function changesOfConversation(event: ConversationEvent): LocalChange[] {
  return [{ entity: 'conversation', op: 'upsert', id: event.conversation.id, version: event.seq, data: event.conversation }];
}

export function changesOfReceipt(event: ReceiptEvent): LocalChange[] {
  const { receipt } = event;
  return [{ entity: 'receipt', op: 'upsert', id: pairKey(receipt.conversationId, receipt.userId), version: event.seq, data: receipt }];
}
