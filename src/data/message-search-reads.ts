import { isHiddenByBlock, readBlockedIds } from '../../device-db/blocked-people';
import type { LocalMessage, RallyLocalDb } from '../../device-db/local-db';
import { searchMessages } from '../../device-db/message-search';
import { parseSearchQuery, type SearchQuery } from '../../device-db/search-terms';
import { titleOf } from './chat-reads';

export interface MessageSearchHit {
  message: LocalMessage;
  conversationTitle: string;
}

export interface MessageSearchResults {
  query: SearchQuery;
  /** The newest hits, newest first. */
  hits: MessageSearchHit[];
  /** Every message on the device that matches (more than `hits` holds when there are many). */
  total: number;
}

/** Searches every message on the device and names the conversation of each hit. */
export async function readMessageSearch(db: RallyLocalDb, me: string, text: string, limit = 50): Promise<MessageSearchResults> {
  const query = parseSearchQuery(text);
  const [{ messages: found, total }, blocked] = await Promise.all([searchMessages(db, query, limit), readBlockedIds(db)]);
  const conversationIds = [...new Set(found.map((message) => message.conversationId))];
  const conversations = await db.conversations.bulkGet(conversationIds);
  // A blocked person's room messages are not shown in the chat, so not among the hits either; the
  // total leaves out those found (exact when every hit was read, the usual case).
  const kindOf = new Map(conversations.map((conversation, i) => [conversationIds[i]!, conversation?.kind ?? 'activity']));
  const messages = blocked.size === 0 ? found : found.filter((message) => !isHiddenByBlock({ kind: kindOf.get(message.conversationId)! }, message.senderId, blocked));
  const titles = new Map<string, string>();
  await Promise.all(
    conversations.map(async (conversation, i) => {
      titles.set(conversationIds[i]!, conversation ? await titleOf(db, conversation, me) : 'Conversation');
    }),
  );
  return { query, total: total - (found.length - messages.length), hits: messages.map((message) => ({ message, conversationTitle: titles.get(message.conversationId)! })) };
}
