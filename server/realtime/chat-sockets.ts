import {
  conversationRoom,
  Mutation,
  PresenceQuery,
  PresenceSet,
  ReceiptUpdates,
  TypingPayload,
  userRoom,
  type Presence,
  type ReceiptUpdateResult,
} from '../../protocol';
import type { ChatService } from '../chat/chat-service';
import { AppError } from '../http/app-error';
import type { MutationService } from '../mutations/mutation-service';
import type { PresenceRegistry, UserPresence } from './presence-registry';
import type { RallyServer, RallySocket } from './socket-types';
import { inOrder } from './in-order';
import { answer, RateLimited, replier } from './socket-answer';
import { createTokenBucket, type TokenBucket } from './token-bucket';
import type { UserBudget } from '../limits/user-limits';

/**
 * Per-socket flood limits: a burst, then a steady rate. A person types a message every few
 * seconds and a typing refresh every 2 s at most; anything far beyond that is a script.
 */
export const SOCKET_LIMITS = {
  messages: { capacity: 20, perSecond: 5 },
  typing: { capacity: 5, perSecond: 1 },
  receipts: { capacity: 30, perSecond: 10 },
  presence: { capacity: 10, perSecond: 1 },
} as const satisfies SocketLimits;

export type SocketLimits = Record<'messages' | 'typing' | 'receipts' | 'presence', { capacity: number; perSecond: number }>;

/** A user whose last connection closed is announced offline after this, unless one came back (a reload). */
export const OFFLINE_GRACE_MS = 3_000;

const CONVERSATION_ROOM_PREFIX = conversationRoom('');

export interface ChatSocketDeps {
  io: RallyServer;
  chat: ChatService;
  mutations: MutationService;
  presence: PresenceRegistry;
  /** SOCKET_LIMITS unless given (a benchmark measures fan-out, not the flood limit). */
  limits?: SocketLimits | undefined;
  /** The user's write budget, shared with HTTP writes and the user's other sockets. */
  userWrites: UserBudget;
}

function toWire(presence: UserPresence): Presence {
  return { userId: presence.userId, status: presence.status, lastSeenAt: presence.lastSeenAt };
}

/** The conversation rooms a socket is in: the people who may hear about its user. */
function conversationRoomsOf(socket: RallySocket): string[] {
  return [...socket.rooms].filter((room) => room.startsWith(CONVERSATION_ROOM_PREFIX));
}

/**
 * Chat over a socket: messages (the quick path for chat mutations), receipts, typing and
 * presence. Room membership is the permission: a socket is in a conversation's room exactly when
 * its user takes part in it (see socket-server.ts and the broadcasters).
 */
export function registerChatHandlers(socket: RallySocket, deps: ChatSocketDeps): void {
  const viewer = { id: socket.data.userId, displayName: socket.data.displayName };
  const limits = deps.limits ?? SOCKET_LIMITS;
  const bucket = (kind: keyof SocketLimits) => createTokenBucket(limits[kind].capacity, limits[kind].perSecond);
  const buckets: Record<keyof SocketLimits, TokenBucket> = {
    messages: bucket('messages'),
    typing: bucket('typing'),
    receipts: bucket('receipts'),
    presence: bucket('presence'),
  };
  const limit = (kind: keyof SocketLimits) => {
    const taken = buckets[kind].take();
    if (!taken.allowed) throw new RateLimited(taken.retryAfterMs);
  };
  const requireRoom = (conversationId: string) => {
    if (!socket.rooms.has(conversationRoom(conversationId))) throw new AppError('not_found', 'Conversation not found');
  };
  /** Conversations this socket says its user is typing in. */
  const typingIn = new Set<string>();

  /**
   * The user rooms of everyone this user blocks or is blocked by: typing and presence skip them,
   * both ways. Read from the database at each fan-out (so a block holds at once, on every
   * process), and `except` on user rooms is relayed by the Redis adapter like any room.
   */
  const blockedRooms = async () => (await deps.chat.blockedEitherWay(viewer)).map(userRoom);
  // Typing fan-outs wait for that read: in order, so a start and its stop go out in order.
  const typingInOrder = inOrder();
  const relayTyping = (conversationId: string, typing: boolean) =>
    typingInOrder(async () => {
      const apart = await blockedRooms();
      socket.to(conversationRoom(conversationId)).except(apart).emit('typing', { conversationId, userId: viewer.id, displayName: viewer.displayName, typing });
    }).catch(() => undefined);
  const sendTyping = (conversationId: string, typing: boolean) => {
    if (typing) typingIn.add(conversationId);
    else typingIn.delete(conversationId);
    return relayTyping(conversationId, typing);
  };

  const announce = async (presence: UserPresence, rooms = conversationRoomsOf(socket)) => {
    if (rooms.length > 0) deps.io.to(rooms).except(await blockedRooms()).emit('presence', toWire(presence));
  };
  // This connection's presence changes (its opening "online", each away/back, its close) run in
  // order like typing: each one's registry write and blocked-rooms read are awaited, and two of
  // them in flight could otherwise be announced out of order (the opening "online" after an
  // "away" set a moment later), leaving others with a status the user no longer has.
  const changePresence = inOrder();

  socket.on('message:send', async (payload, ack) => {
    const reply = replier<Awaited<ReturnType<MutationService['apply']>>['body']>(ack);
    const result = await answer(async () => {
      limit('messages');
      const spent = await deps.userWrites.spend(viewer.id);
      if (!spent.allowed) throw new RateLimited(spent.retryAfterMs);
      const mutation = Mutation.parse(payload);
      // Messages (sent, edited, deleted, hidden, reacted to) and opening a conversation.
      if (!mutation.name.startsWith('message.') && mutation.name !== 'conversation.open') {
        throw new AppError('invalid_input', 'Only chat mutations travel over the socket; send the others to POST /api/mutations');
      }
      const outcome = await deps.mutations.apply(viewer, mutation);
      if (mutation.name === 'message.send' && typingIn.has(mutation.args.conversationId)) void sendTyping(mutation.args.conversationId, false);
      if (outcome.httpStatus >= 300 && 'error' in outcome.body) {
        throw new AppError(outcome.body.error.code, outcome.body.error.message, outcome.body.error.fields ? { fields: outcome.body.error.fields } : {});
      }
      return outcome.body;
    });
    reply(result as never);
  });

  socket.on('receipt:update', async (payload, ack) => {
    replier<ReceiptUpdateResult[]>(ack)(
      await answer(async () => {
        limit('receipts');
        const { updates } = ReceiptUpdates.parse(payload);
        const results: ReceiptUpdateResult[] = [];
        for (const update of updates) {
          // One refused conversation (left meanwhile) does not hold the others back.
          const result = await answer(() => deps.chat.updateReceipt(viewer, update));
          results.push(
            result.ok
              ? { conversationId: update.conversationId, deliveredSeq: result.data.deliveredSeq, readSeq: result.data.readSeq }
              : { conversationId: update.conversationId, error: result.error },
          );
        }
        return results;
      }),
    );
  });

  for (const [event, typing] of [
    ['typing:start', true],
    ['typing:stop', false],
  ] as const) {
    socket.on(event, async (payload, ack) => {
      replier<null>(ack)(
        await answer(async () => {
          if (typing) limit('typing');
          const { conversationId } = TypingPayload.parse(payload);
          requireRoom(conversationId);
          // A stop is relayed only for a start this socket made there, so stops are never more
          // than the (limited) starts and cannot flood a room. One without a start is acknowledged
          // and dropped: the state it asks for holds already.
          if (!typing && !typingIn.has(conversationId)) return null;
          await sendTyping(conversationId, typing);
          return null;
        }),
      );
    });
  }

  socket.on('presence:set', async (payload, ack) => {
    replier<null>(ack)(
      await answer(async () => {
        limit('presence');
        const { state } = PresenceSet.parse(payload);
        await changePresence(async () => announce(await deps.presence.set(viewer.id, socket.id, state)));
        return null;
      }),
    );
  });

  socket.on('presence:query', async (payload, ack) => {
    replier<Presence[]>(ack)(
      await answer(async () => {
        limit('presence');
        const { userIds } = PresenceQuery.parse(payload);
        // Presence says when someone is awake and around; only those who share a conversation
        // with the asker may know it. Anyone else is left out of the answer, as if never asked
        // about: "offline" would be a claim, and a refusal would still confirm the account exists.
        const visible = await deps.chat.presenceVisibleTo(viewer, userIds);
        const asked = [...new Set(userIds)].filter((id) => visible.has(id));
        return asked.length === 0 ? [] : (await deps.presence.get(asked)).map(toWire);
      }),
    );
  });

  socket.on('disconnecting', () => {
    const rooms = conversationRoomsOf(socket);
    for (const conversationId of typingIn) void relayTyping(conversationId, false);
    typingIn.clear();
    void changePresence(async () => {
      const after = await deps.presence.remove(viewer.id, socket.id);
      if (after.status !== 'offline') {
        await announce(after, rooms);
        return;
      }
      // A reload closes one connection and opens the next a moment later: only a silence counts.
      const timer = setTimeout(() => {
        void deps.presence
          .get([viewer.id])
          .then(([now]) => {
            if (now?.status === 'offline') return announce(now, rooms);
            return undefined;
          })
          .catch(() => undefined);
      }, OFFLINE_GRACE_MS);
      timer.unref();
    }).catch(() => undefined);
  });

  void changePresence(async () => announce(await deps.presence.set(viewer.id, socket.id, 'online'))).catch(() => undefined);
}
