import { z } from 'zod';
import { ErrorBody } from './errors';
import { Id, Instant } from './ids';
import { MessagePhoto } from './photos';

/**
 * Chat. Every activity has a room for its members (the conversation's id is the activity's id);
 * any two users may open a direct conversation, whose id is derived from the pair (so two devices
 * that open it offline agree on it). Messages are numbered by the server-wide change sequence
 * (`seq`): that is their order, the unit of the read and delivered watermarks, and the cursor of
 * older pages.
 */

export const ConversationKind = z.enum(['activity', 'direct']);
export type ConversationKind = z.infer<typeof ConversationKind>;

export const Participant = z.object({ userId: Id, displayName: z.string() });
export type Participant = z.infer<typeof Participant>;

export const Conversation = z.object({
  id: Id,
  kind: ConversationKind,
  /** The activity whose room this is (null for a direct conversation). */
  activityId: Id.nullable(),
  /** A direct conversation's two people (empty for an activity room: its members are the activity's). */
  participants: z.array(Participant),
  createdAt: Instant,
});
export type Conversation = z.infer<typeof Conversation>;

/** `call`: the server's line for a call that ended ("Missed voice call"); nobody sends one. */
export const MessageKind = z.enum(['text', 'announcement', 'call']);
export type MessageKind = z.infer<typeof MessageKind>;
/** What a person may send. */
export const SendableMessageKind = z.enum(['text', 'announcement']);
export type SendableMessageKind = z.infer<typeof SendableMessageKind>;

export const MESSAGE_MAX_LENGTH = 4000;
/** How many of a conversation's newest messages the sync feed carries; older ones load on scroll. */
export const MESSAGE_PAGE_SIZE = 50;

/**
 * An emoji reaction: any emoji (a flag, a keycap, a skin tone or a ZWJ sequence too), never text.
 * One per person per emoji; `message.react` adds or removes it, so it behaves as a set.
 */
export const REACTION_MAX_LENGTH = 32;
export const ReactionEmoji = z
  .string()
  .min(1)
  .max(REACTION_MAX_LENGTH)
  .regex(/^(?=.*(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3))(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\p{Regional_Indicator}|\u200d|\ufe0f|\u20e3)+$/u, {
    message: 'must be an emoji',
  });

export const Reaction = z.object({ emoji: z.string(), userId: Id, displayName: z.string() });
export type Reaction = z.infer<typeof Reaction>;

/** What a message deleted for everyone says in its place. */
export const DELETED_MESSAGE_TEXT = 'This message was deleted';

/** How long after sending its author may delete a message for everyone. */
export const DELETE_FOR_EVERYONE_WINDOW_MS = 24 * 60 * 60 * 1000;

export const Message = z.object({
  /** Chosen by the sending device, so the server's copy replaces the pending one. */
  id: Id,
  conversationId: Id,
  senderId: Id,
  senderName: z.string(),
  kind: MessageKind,
  /** Empty once deleted for everyone (`deletedAt`): the text is gone from the server too. */
  body: z.string(),
  createdAt: Instant,
  seq: z.number().int().min(1),
  /** The message this one quotes; the page shows the quote from its own copy of that message. */
  replyToId: Id.optional(),
  /** Set by the last edit (only the current text is kept). */
  editedAt: Instant.optional(),
  /** Deleted for everyone: a tombstone with no text, no reactions and no quote. */
  deletedAt: Instant.optional(),
  /** Everyone's reactions, in the order they were made. Absent: none. */
  reactions: z.array(Reaction).optional(),
  /** A photo (the body is then its caption, maybe empty); gone with the text when deleted for everyone. */
  photo: MessagePhoto.optional(),
  /** The position of the message's last change (edit, delete, reaction); absent: `seq`, never changed. */
  version: z.number().int().min(1).optional(),
});
export type Message = z.infer<typeof Message>;

/** The version a message travels under in the feed: the position of its last change. */
export function messageVersion(message: Pick<Message, 'seq' | 'version'>): number {
  return message.version ?? message.seq;
}

/** One member's watermarks in one conversation: every message up to `deliveredSeq` reached a device of theirs, up to `readSeq` was seen. */
export const Receipt = z.object({
  conversationId: Id,
  userId: Id,
  deliveredSeq: z.number().int().min(0),
  readSeq: z.number().int().min(0),
});
export type Receipt = z.infer<typeof Receipt>;

export const MessageBody = z
  .string()
  .trim()
  .min(1, { message: 'is required' })
  .max(MESSAGE_MAX_LENGTH, { message: `must be at most ${MESSAGE_MAX_LENGTH} characters` });

export const MessagesQuery = z.strictObject({
  /** Messages strictly older than this position. */
  before: z.coerce.number().int().min(1),
  limit: z.coerce.number().int().min(1).max(200).default(MESSAGE_PAGE_SIZE),
});
export type MessagesQuery = z.infer<typeof MessagesQuery>;

export const MessagesPage = z.object({ messages: z.array(Message), hasMore: z.boolean() });
export type MessagesPage = z.infer<typeof MessagesPage>;

// Realtime ---------------------------------------------------------------------------------------

export const MessageEvent = z.object({ message: Message, seq: z.number().int().min(1) });
export type MessageEvent = z.infer<typeof MessageEvent>;

/** A message was edited, deleted for everyone or reacted to: the message as it is now, at the change's position `seq`. */
export const MessageChangedEvent = z.object({ message: Message, seq: z.number().int().min(1) });
export type MessageChangedEvent = z.infer<typeof MessageChangedEvent>;

/** One user's "delete for me": the message is gone from their devices and stays gone. */
export const HiddenMessage = z.object({ messageId: Id, conversationId: Id, hiddenAt: Instant });
export type HiddenMessage = z.infer<typeof HiddenMessage>;

export const ConversationEvent = z.object({ conversation: Conversation, seq: z.number().int().min(1) });
export type ConversationEvent = z.infer<typeof ConversationEvent>;

export const ReceiptEvent = z.object({ receipt: Receipt, seq: z.number().int().min(1) });
export type ReceiptEvent = z.infer<typeof ReceiptEvent>;

export const ReceiptUpdate = z.strictObject({
  conversationId: Id,
  deliveredSeq: z.number().int().min(0).optional(),
  readSeq: z.number().int().min(0).optional(),
});
export type ReceiptUpdate = z.infer<typeof ReceiptUpdate>;

/** Watermarks for many conversations in one event (a device back from a long absence has many). */
export const ReceiptUpdates = z.strictObject({ updates: z.array(ReceiptUpdate).min(1).max(100) });
export type ReceiptUpdates = z.infer<typeof ReceiptUpdates>;

/** Per update: the watermarks the server now holds, or why it refused that one. */
export const ReceiptUpdateResult = z.union([
  z.object({ conversationId: Id, deliveredSeq: z.number().int(), readSeq: z.number().int() }),
  z.object({ conversationId: z.string(), error: ErrorBody }),
]);
export type ReceiptUpdateResult = z.infer<typeof ReceiptUpdateResult>;

export const TypingPayload = z.strictObject({ conversationId: Id });
export type TypingPayload = z.infer<typeof TypingPayload>;

export const TypingEvent = z.object({ conversationId: Id, userId: Id, displayName: z.string(), typing: z.boolean() });
export type TypingEvent = z.infer<typeof TypingEvent>;

/** A typer repeats `typing:start` at most this often; a listener forgets a typer silent for TYPING_EXPIRY_MS. */
export const TYPING_REFRESH_MS = 2_000;
export const TYPING_EXPIRY_MS = 3_000;

export const PresenceStatus = z.enum(['online', 'away', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatus>;

export const Presence = z.object({ userId: Id, status: PresenceStatus, lastSeenAt: Instant.nullable() });
export type Presence = z.infer<typeof Presence>;

export const PresenceSet = z.strictObject({ state: z.enum(['online', 'away']) });
export type PresenceSet = z.infer<typeof PresenceSet>;

export const PresenceQuery = z.strictObject({ userIds: z.array(Id).min(1).max(200) });
export type PresenceQuery = z.infer<typeof PresenceQuery>;

/** A page hidden this long counts as away. */
export const AWAY_AFTER_HIDDEN_MS = 60_000;

/** A member arrived: the room's live attendance. */
export const CheckinEvent = z.object({
  activityId: Id,
  userId: Id,
  displayName: z.string(),
  checkinCount: z.number().int().min(0),
  version: z.number().int(),
  seq: z.number().int().min(1),
  at: Instant,
});
export type CheckinEvent = z.infer<typeof CheckinEvent>;

export function conversationRoom(conversationId: string): string {
  return `conversation:${conversationId}`;
}

/**
 * The id of the direct conversation between two users: a UUID (version 8, RFC 9562) made from a
 * SHA-256 of the sorted pair, the same on every device and on the server. Anyone can compute it, so
 * it must never be a version a client may give an activity (`RandomId`: 4 or 7); and opening it
 * checks that the row is this pair's direct conversation.
 */
export async function directConversationId(userA: string, userB: string): Promise<string> {
  const [first, second] = [userA, userB].sort();
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(`rally-direct:${first}:${second}`)));
  const bytes = digest.slice(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
