import type { ConversationReceiptsTable, MessagesTable } from '../../server/db/schema';

/**
 * A conversation as the chat seeder sees it: who speaks in it, and the span (epoch ms) its
 * messages fall in, which starts after every speaker joined.
 */
export interface SeededConversation {
  id: string;
  /** The activity's organizer, the one speaker allowed announcements (null in a direct conversation). */
  organizerId: string | null;
  speakers: string[];
  opensAt: number;
  closesAt: number;
}

export interface ChatHistory {
  messages: MessagesTable[];
  receipts: ConversationReceiptsTable[];
}

/**
 * `perConversation` messages in each conversation, by its speakers, at increasing times. They
 * are numbered in one order by time across every conversation, as the server numbers messages
 * when they are sent, so within a conversation position order is send order. Then each speaker's
 * receipts, stamped after every message: read at or after the last message they sent (sending
 * marks it read), delivered at or after that.
 */
export function planChatHistory(
  conversations: SeededConversation[],
  perConversation: number,
  random: () => number,
  ids: { nextSeq: () => number; newId: () => string; nameOf: (userId: string) => string },
): ChatHistory {
  const drafts = conversations.flatMap((conversation) =>
    increasingTimes(conversation.opensAt, conversation.closesAt, perConversation, random).map((sentAt) => {
      const senderId = pick(random, conversation.speakers);
      const kind = senderId === conversation.organizerId && random() < 0.03 ? ('announcement' as const) : ('text' as const);
      return { conversationId: conversation.id, senderId, kind, body: messageBody(random), sentAt };
    }),
  );
  // A stable sort: a conversation's own messages already have strictly increasing times.
  drafts.sort((a, b) => a.sentAt - b.sentAt);
  const messages = drafts.map(({ sentAt, ...draft }) => {
    const seq = ids.nextSeq();
    // Never changed since sent: the position of its last change is its own.
    return { id: ids.newId(), ...draft, createdAt: new Date(sentAt).toISOString(), seq, changedSeq: seq, replyToId: null, editedAt: null, deletedAt: null, reactions: null, photo: null, photoHash: null };
  });

  const byConversation = new Map<string, MessagesTable[]>(conversations.map((c) => [c.id, []]));
  for (const message of messages) byConversation.get(message.conversationId)!.push(message);
  const speakersOf = new Map(conversations.map((c) => [c.id, c.speakers]));
  // As people use chat: about one message in ten answers an earlier one in its conversation, and
  // one in six has reactions (one to three people, an emoji each). The device stores both with the
  // message, so a cold sync carries them as it would in real use.
  for (const thread of byConversation.values()) {
    thread.forEach((message, index) => {
      if (index > 0 && random() < 0.1) message.replyToId = thread[Math.floor(random() * index)]!.id;
      if (random() < 1 / 6) {
        const reactors = new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, speakersOf.get(message.conversationId)!)));
        message.reactions = JSON.stringify([...reactors].map((userId) => ({ emoji: pick(random, REACTION_EMOJI), userId, displayName: ids.nameOf(userId) })));
      }
    });
  }
  const receipts: ConversationReceiptsTable[] = [];
  for (const conversation of conversations) {
    const thread = byConversation.get(conversation.id)!;
    const seqAt = (index: number) => (index < 0 ? 0 : thread[index]!.seq);
    const lastSentBy = new Map(thread.map((message, index) => [message.senderId, index]));
    for (const userId of conversation.speakers) {
      const lastSent = lastSentBy.get(userId) ?? -1;
      // Most people are nearly caught up; a cube skews the unread tail short.
      const readIndex = thread.length - 1 - Math.floor(random() ** 3 * (thread.length - lastSent));
      const deliveredIndex = readIndex + Math.floor(random() * (thread.length - readIndex));
      // Someone whose devices never fetched the conversation has no watermarks yet.
      if (deliveredIndex < 0) continue;
      receipts.push({ conversationId: conversation.id, userId, deliveredSeq: seqAt(deliveredIndex), readSeq: seqAt(readIndex), seq: ids.nextSeq() });
    }
  }
  return { messages, receipts };
}

/** `count` strictly increasing whole-millisecond instants in (from, to), with irregular gaps as in a real chat. */
function increasingTimes(from: number, to: number, count: number, random: () => number): number[] {
  const gaps = Array.from({ length: count + 1 }, () => -Math.log(1 - random()));
  const total = gaps.reduce((sum, gap) => sum + gap, 0);
  const times: number[] = [];
  let elapsed = 0;
  for (const gap of gaps.slice(0, count)) {
    elapsed += gap;
    times.push(Math.max(Math.floor(from + ((to - from) * elapsed) / total), (times.at(-1) ?? from) + 1));
  }
  return times;
}

const REACTION_EMOJI = ['👍', '❤️', '😂', '🎉', '🙏'];

const WORDS = (
  'ok sure see you there at the park tomorrow tonight who is bringing snacks water I can drive ' +
  'running late five minutes start without me great idea does anyone have a spare pump helmet ' +
  'rain forecast maybe we move it indoors thanks everyone that was fun same time next week ' +
  'meet by the north gate café parking is full bring a jacket 👍 🎉 count me in can not make it'
).split(' ');

/** A chat line: mostly a few words, sometimes a paragraph, now and then a long message. */
function messageBody(random: () => number): string {
  const roll = random();
  const length = roll < 0.6 ? 1 + Math.floor(random() * 8) : roll < 0.9 ? 8 + Math.floor(random() * 25) : 30 + Math.floor(random() * 120);
  const sentences: string[] = [];
  for (let left = length; left > 0; ) {
    const size = Math.min(left, 4 + Math.floor(random() * 12));
    const words = Array.from({ length: size }, () => pick(random, WORDS));
    const sentence = words.join(' ');
    sentences.push(`${sentence[0]!.toUpperCase()}${sentence.slice(1)}${pick(random, ['.', '!', '?', ''])}`);
    left -= size;
  }
  return sentences.join(' ');
}

export function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}
