import type { Conversation, Message, Receipt } from '../../protocol';
import type { ChangeStamp } from '../activities/activity-events';

/** What happened in chat, reported after its transaction committed; the realtime layer decides who hears it. */
export interface ChatEvents {
  messageSent(message: Message, stamp: ChangeStamp): Promise<void>;
  /** A direct conversation came to be: both people's sockets join its room. */
  conversationOpened(conversation: Conversation, participantIds: string[], stamp: ChangeStamp): Promise<void>;
  receiptChanged(receipt: Receipt, stamp: ChangeStamp): Promise<void>;
  /** Edited, deleted for everyone, or reacted to: the message as it is now. */
  messageChanged(message: Message, stamp: ChangeStamp): Promise<void>;
  /** `userId` deleted a message for themselves: only their devices hear of it. */
  messageHidden(userId: string, stamp: ChangeStamp): Promise<void>;
}
