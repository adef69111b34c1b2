import { DELETE_FOR_EVERYONE_WINDOW_MS } from '../../../protocol';
import type { LocalMessage } from '../../../device-db/local-db';

/** What the action menu offers for one message: a pure rule, the same the server enforces (or less). */
export interface MessageActionSet {
  reply: boolean;
  react: boolean;
  edit: boolean;
  deleteForEveryone: boolean;
  deleteForMe: boolean;
}

/** `moderates`: I host the room (organizer or co-host), so I may delete anyone's message, at any age. */
export function actionsFor(message: LocalMessage, me: string, now: number, moderates = false): MessageActionSet {
  const sent = message.seq > 0;
  const deleted = message.deletedAt !== undefined;
  const mine = message.senderId === me;
  return {
    // A pending message has no place on the server yet; one deleted has nothing left to quote or react to.
    reply: sent && !deleted,
    react: sent && !deleted,
    edit: sent && !deleted && mine && message.kind !== 'call',
    deleteForEveryone: sent && !deleted && ((mine && now - Date.parse(message.createdAt) <= DELETE_FOR_EVERYONE_WINDOW_MS) || (moderates && message.kind !== 'call')),
    deleteForMe: sent,
  };
}

/**
 * Reporting a message and blocking its sender: offered on anyone else's message the server has
 * (a call line is the server's, not a person's words). Blocking is offered until they are blocked.
 */
export function safetyActionsFor(message: LocalMessage, me: string, senderBlocked: boolean): { report: boolean; block: boolean } {
  const theirs = message.seq > 0 && message.senderId !== me && message.kind !== 'call';
  return { report: theirs && message.deletedAt === undefined, block: theirs && !senderBlocked };
}

/** The quick choices of the reaction picker; any other emoji can be typed. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🎉'] as const;

/** A short excerpt of a quoted message, one line's worth. */
export function quoteExcerpt(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}
