import { DELETE_FOR_EVERYONE_WINDOW_MS, type ErrorCode, type MessageKind } from '../../protocol';

/**
 * Who may change a message, and when: pure, one rule per write. The conflict rules follow from
 * them and from the change sequence's order: a delete beats an edit that arrives after it (the
 * edit is refused), and of two edits the one the server applies last stands.
 */

export type MessageWrite = 'edit' | 'delete' | 'react';

export interface MessageState {
  senderId: string;
  kind: MessageKind;
  createdAt: string;
  deletedAt: string | null;
}

export interface MessageActor {
  userId: string;
  /** May delete anyone's message at any age: the organizer and co-hosts of an activity's room. */
  moderates?: boolean;
}

export type MessageDecision = { outcome: 'apply' } | { outcome: 'unchanged' } | { outcome: 'refuse'; code: ErrorCode; message: string };

const apply: MessageDecision = { outcome: 'apply' };
const refuse = (code: ErrorCode, message: string): MessageDecision => ({ outcome: 'refuse', code, message });

export function decideMessageWrite(write: MessageWrite, message: MessageState, actor: MessageActor, now: Date): MessageDecision {
  switch (write) {
    case 'edit':
      if (message.deletedAt !== null) return refuse('message_deleted', 'This message was deleted');
      if (message.senderId !== actor.userId) return refuse('forbidden', 'Only its author can edit a message');
      if (message.kind === 'call') return refuse('forbidden', 'A call line cannot be edited');
      return apply;
    case 'delete':
      if (message.senderId !== actor.userId && !actor.moderates) return refuse('forbidden', 'Only its author or the room’s hosts can delete a message for everyone');
      // Deleting again (another device, a resend) changes nothing and is no error.
      if (message.deletedAt !== null) return { outcome: 'unchanged' };
      if (!actor.moderates && now.getTime() - Date.parse(message.createdAt) > DELETE_FOR_EVERYONE_WINDOW_MS) {
        return refuse('delete_window_passed', 'A message can be deleted for everyone only in its first 24 hours');
      }
      return apply;
    case 'react':
      if (message.deletedAt !== null) return refuse('message_deleted', 'This message was deleted');
      return apply;
  }
}
