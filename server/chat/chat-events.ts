import type { Conversation, Message, Receipt } from '../../protocol';
import type { ChangeStamp } from '../activities/activity-events';

/** What happened in chat, reported after its transaction committed; the realtime layer decides who hears it. */
export interface ChatEvents {
  messageSent(message: Message, stamp: ChangeStamp): Promise<void>;
  /** A direct conversation came to be: both people's sockets join its room. */
  conversationOpened(conversation: Conversation, participantIds: string[], stamp: ChangeStamp): Promise<void>;
  receiptChanged(receipt: Receipt, stamp: ChangeStamp): Promise<void>;
}
