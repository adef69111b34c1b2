import type { ServerToClientEvents, serverEventNames } from '../../../protocol';
import type { LocalChange } from '../../../device-db/apply-changes';
import { noteAnnouncement } from '../../data/announcements';
import { notePresence, noteTyping, stopTyping } from '../../data/chat-live';
import {
  changesOfActivityChanged,
  changesOfActivityDeleted,
  changesOfCheckin,
  changesOfConversation,
  changesOfCountEvent,
  changesOfMemberChanged,
  changesOfMessage,
  changesOfMessageChanged,
  changesOfReceipt,
} from '../../data/event-changes';
import type { RallySocket } from '../../net/socket-state';
import type { LocalData } from './open-local-data';
import { announcePresence } from './presence-reporting';
import { noteFlagsChanged } from '../flags-changed';

/**
 * Socket event name → what it does on this device, for every event the data layer follows (a new
 * one must be placed here), and `connect`. Call events have the call feature's own listeners.
 */
export type SocketEventTable = { [E in (typeof serverEventNames)[number]]: ServerToClientEvents[E] } & { connect: () => void };

/**
 * What each server event does here: most become changes written like a pulled page (with the
 * event's `seq`, so a gap makes the engine ask for a pull); typing, presence and announcements
 * are live only.
 */
export function socketEventTable(local: LocalData, socket: RallySocket, requestPull: () => void): SocketEventTable {
  const { engine, outbox, session, receipts } = local;
  const apply = (changes: LocalChange[], seq: number) => engine.applyEvent(changes, seq).catch(() => undefined);
  return {
    // Every (re)connect may follow missed events: catch up from the cursor.
    connect: () => {
      requestPull();
      // The server is reachable again: what waits in the outbox can go, and so can receipts.
      outbox.kick();
      receipts.flush();
      announcePresence(socket);
      // Nor did this page hear of flag changes while it had no socket, or before its first one
      // connected (a change made while the page's first evaluation was on its way): evaluate again.
      noteFlagsChanged();
    },
    'activity:created': (event) => void apply(changesOfActivityChanged(event), event.seq),
    'activity:updated': (event) => void apply(changesOfActivityChanged(event), event.seq),
    'activity:deleted': (event) => void apply(changesOfActivityDeleted(event), event.seq),
    'activity:user_joined': (event) => void apply(changesOfCountEvent('user_joined', event), event.seq),
    'activity:user_left': (event) => void apply(changesOfCountEvent('user_left', event), event.seq),
    'activity:like_added': (event) => void apply(changesOfCountEvent('like_added', event), event.seq),
    'activity:like_removed': (event) => void apply(changesOfCountEvent('like_removed', event), event.seq),
    'activity:checked_in': (event) => void apply(changesOfCheckin(event), event.seq),
    'activity:member_changed': (event) => void apply(changesOfMemberChanged(event), event.seq),
    'message:new': (event) => {
      stopTyping(event.message.conversationId, event.message.senderId);
      void apply(changesOfMessage(event, session.userId), event.seq).then(() => {
        if (event.message.senderId !== session.userId) void receipts.advance(event.message.conversationId, event.message.seq, false);
      });
    },
    'message:changed': (event) => void apply(changesOfMessageChanged(event), event.seq),
    'announcement:new': (event) => {
      if (event.message.senderId !== session.userId) noteAnnouncement(event.message);
    },
    'conversation:new': (event) => void apply(changesOfConversation(event), event.seq),
    'receipt:updated': (event) => void apply(changesOfReceipt(event), event.seq),
    // Names no rows: applying nothing at `seq` makes the engine pull when the device is behind it.
    'own:changed': (event) => void apply([], event.seq),
    typing: (event) => noteTyping(event),
    presence: (event) => notePresence([event]),
    'flags:changed': () => noteFlagsChanged(),
  };
}

/** Registers every handler of the table; the returned function removes the very same ones. */
export function listenToSocket(socket: RallySocket, table: SocketEventTable): () => void {
  // socket.io's typed `on` takes one event name at a time; the table's own type keeps each pair right.
  const entries = Object.entries(table) as [keyof SocketEventTable, () => void][];
  for (const [name, handler] of entries) socket.on(name as 'connect', handler);
  return () => {
    for (const [name, handler] of entries) socket.off(name as 'connect', handler);
  };
}
