import type { Conversation } from '../protocol';
import type { RallyLocalDb } from './local-db';

/**
 * The people this user blocks now, whose messages in shared rooms the device hides and leaves
 * out of unread counts (the chat list, the header and the app badge count alike). A direct chat
 * keeps its history: the block stops new messages there, on the server.
 */
export async function readBlockedIds(db: RallyLocalDb): Promise<ReadonlySet<string>> {
  const rows = await db.blockedUsers.filter((row) => row.blockedAt !== null).toArray();
  return new Set(rows.map((row) => row.userId));
}

/** Whether a message of `senderId` is hidden in `conversation` on this device. */
export function isHiddenByBlock(conversation: Pick<Conversation, 'kind'>, senderId: string, blocked: ReadonlySet<string>): boolean {
  return conversation.kind !== 'direct' && blocked.has(senderId);
}
