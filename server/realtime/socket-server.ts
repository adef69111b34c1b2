import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import {
  activityRoom,
  AuthRenewPayload,
  conversationRoom,
  isSupportedProtocolVersion,
  RoomJoinPayload,
  sessionRoom,
  SocketAuth,
  userRoom,
  type ErrorCode,
} from '../../protocol';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { isAllowedOrigin } from '../auth/request-origin';
import type { ActivityService } from '../activities/activity-service';
import type { ChatService } from '../chat/chat-service';
import type { CallService } from '../calls/call-service';
import { registerCallHandlers } from './call-sockets';
import { listConversationIdsOf } from '../chat/chat-store';
import { isFamilyRevoked } from '../db/refresh-tokens-store';
import type { Db } from '../db/connect';
import type { MutationService } from '../mutations/mutation-service';
import { registerChatHandlers, type SocketLimits } from './chat-sockets';
import { answer, replier } from './socket-answer';
import type { PresenceRegistry } from './presence-registry';
import { AppError } from '../http/app-error';
import type { RallyServer, RallySocket } from './socket-types';
import type { UserBudget } from '../limits/user-limits';
import { closeOldestSockets } from './socket-cap';
import { deviceRoom } from './device-rooms';

export interface SocketServerDeps {
  httpServer: HttpServer;
  tokens: AccessTokenIssuer;
  activities: ActivityService;
  chat: ChatService;
  calls: CallService;
  mutations: MutationService;
  presence: PresenceRegistry;
  db: Db;
  allowedOrigins: string[];
  socketLimits?: SocketLimits | undefined;
  /** The user's write budget, which socket messages spend as HTTP writes do. */
  userWrites: UserBudget;
  maxSocketsPerUser: number;
  hooks?: SocketHandshakeHooks | undefined;
  now: () => Date;
}

/** The claims of a token whose session has not ended, or an AppError. */
async function verifyLiveToken(deps: SocketServerDeps, token: string) {
  const claims = await deps.tokens.verify(token);
  if (claims.sid !== undefined && (await isFamilyRevoked(deps.db, claims.sid))) {
    throw new AppError('unauthorized', 'This session has ended; sign in again');
  }
  return claims;
}

/**
 * Points in the handshake where a test may make the world move, to play a race out in a fixed
 * order with the real database (nothing is replaced; the handshake just waits for the hook).
 */
export interface SocketHandshakeHooks {
  /** After the user's conversations were read, before their rooms are joined. */
  afterRoomsRead?: (userId: string) => Promise<void>;
}

class SocketRefusal extends Error {
  readonly data: { code: ErrorCode };
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.data = { code };
  }
}

export function createSocketServer(deps: SocketServerDeps): RallyServer {
  const io: RallyServer = new Server(deps.httpServer, {
    pingInterval: 25_000,
    pingTimeout: 20_000,
    maxHttpBufferSize: 256 * 1024,
    // No per-message deflate. With it negotiated (browsers always offer it), engine.io frames
    // every socket's copy of a broadcast on its own and would deflate a large one once per
    // receiving socket; without it a room's fan-out frame is built once for all its members
    // (bench/fanout: server CPU for a 1,000-member room's chat fell from 2.5× raw ws's to 1.7×).
    // Socket frames are small events; the large answers (sync pages) are compressed over HTTP.
    // HTTP polling answers are compressed over 1 KB.
    perMessageDeflate: false,
    httpCompression: { threshold: 1024 },
    // Browsers always send Origin on WebSocket and cross-origin requests; only same-origin polling
    // may omit it, and that is exactly what we allow.
    allowRequest: (request, callback) => {
      const origin = request.headers.origin;
      callback(null, origin === undefined || isAllowedOrigin(origin, request.headers.host, deps.allowedOrigins));
    },
  });

  io.use(async (socket, next) => {
    const auth = SocketAuth.safeParse(socket.handshake.auth);
    if (!auth.success) return next(new SocketRefusal('unauthorized', 'Send auth.token and auth.protocolVersion'));
    if (!isSupportedProtocolVersion(auth.data.protocolVersion)) {
      return next(new SocketRefusal('unsupported_protocol', 'This version of Rally is out of date; reload to update'));
    }
    try {
      const claims = await verifyLiveToken(deps, auth.data.token);
      socket.data.userId = claims.sub;
      socket.data.displayName = claims.name;
      socket.data.sessionId = claims.sid;
      socket.data.tokenExpiresAt = (claims.exp ?? Number.POSITIVE_INFINITY) * 1000;
      socket.data.connectedAt = deps.now().getTime();
      // Read before the connection completes, so its rooms are joined before any event can be missed.
      // Joined before the connection completes, so no event of theirs can be missed.
      const conversationIds = await listConversationIdsOf(deps.db, claims.sub);
      await deps.hooks?.afterRoomsRead?.(claims.sub);
      const device = auth.data.deviceId ? [deviceRoom(auth.data.deviceId)] : [];
      await socket.join([userRoom(claims.sub), ...(claims.sid ? [sessionRoom(claims.sid)] : []), ...device, ...conversationIds.map(conversationRoom)]);
      // A membership that ended since that read told nobody this socket: its socketsLeave looks
      // only among connected sockets. Read again now that the rooms are joined, and leave.
      await settleConversationRooms(socket, deps.db);
      next();
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'unauthorized';
      next(new SocketRefusal(code, error instanceof AppError ? error.message : 'Access token is not valid'));
    }
  });

  io.on('connection', (socket) => {
    // Once more, now that socketsJoin/socketsLeave can find this socket: a membership that
    // changed between the handshake's last read and this moment was missed by them. One that
    // changes after this read reaches the socket through them. If the database fails here the
    // rooms cannot be trusted: drop the connection (the page reconnects and starts over).
    settleConversationRooms(socket, deps.db).catch(() => socket.disconnect(true));
    registerRoomHandlers(socket, deps.activities);
    registerRenewal(socket, deps);
    registerChatHandlers(socket, { io, chat: deps.chat, mutations: deps.mutations, presence: deps.presence, limits: deps.socketLimits, userWrites: deps.userWrites });
    registerCallHandlers(socket, deps.calls);
    // Once connected, so the count sees this socket too, on whichever process it lives.
    closeOldestSockets(io, socket.data.userId, deps.maxSocketsPerUser).catch(() => undefined);
  });

  return io;
}

const CONVERSATION_ROOM_PREFIX = conversationRoom('');

/**
 * Makes a socket's conversation rooms match the database. Rooms are joined before the read that
 * checks them (never after it), so whatever ends after the read is taken away by the leave's own
 * socketsLeave, and whatever the read no longer lists is left here. A conversation gained
 * meanwhile is joined and checked by one more pass.
 */
async function settleConversationRooms(socket: RallySocket, db: Db): Promise<void> {
  for (let pass = 0; pass < 3; pass++) {
    const current = new Set(await listConversationIdsOf(db, socket.data.userId));
    const joined = new Set(
      [...socket.rooms].filter((room) => room.startsWith(CONVERSATION_ROOM_PREFIX)).map((room) => room.slice(CONVERSATION_ROOM_PREFIX.length)),
    );
    for (const id of joined) if (!current.has(id)) await socket.leave(conversationRoom(id));
    const gained = [...current].filter((id) => !joined.has(id));
    // On the last pass a gain stays unjoined rather than unchecked; its socketsJoin or the next connection brings it.
    if (gained.length === 0 || pass === 2) return;
    await socket.join(gained.map(conversationRoom));
  }
}

/**
 * A socket lives no longer than its token: it closes when the token expires unless the page sends
 * a fresh one of the same user (`auth:renew`). A session that ends closes its sockets at once
 * (`closeSessionSockets`), and its tokens open no new ones.
 */
function registerRenewal(socket: RallySocket, deps: SocketServerDeps): void {
  let expiry: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(expiry);
    const left = socket.data.tokenExpiresAt - deps.now().getTime();
    if (!Number.isFinite(left)) return;
    // setTimeout holds at most ~24.8 days; tokens live minutes.
    expiry = setTimeout(() => socket.disconnect(true), Math.min(Math.max(0, left), 2 ** 31 - 1));
  };
  arm();
  socket.on('disconnect', () => clearTimeout(expiry));

  socket.on('auth:renew', async (payload, ack) => {
    const reply = replier<{ expiresAt: string }>(ack);
    const result = await answer(async () => {
      const { token } = AuthRenewPayload.parse(payload);
      const claims = await verifyLiveToken(deps, token);
      if (claims.sub !== socket.data.userId) throw new AppError('forbidden', 'A socket stays with the user it was opened for');
      if (claims.sid !== socket.data.sessionId) {
        if (socket.data.sessionId) await socket.leave(sessionRoom(socket.data.sessionId));
        if (claims.sid) await socket.join(sessionRoom(claims.sid));
        socket.data.sessionId = claims.sid;
      }
      socket.data.tokenExpiresAt = (claims.exp ?? Number.POSITIVE_INFINITY) * 1000;
      arm();
      return { expiresAt: new Date(socket.data.tokenExpiresAt).toISOString() };
    });
    reply(result);
  });
}

/** Closes every socket of a session that ended, on every process (the adapter relays it). */
export function closeSessionSockets(io: RallyServer, sessionId: string): void {
  io.in(sessionRoom(sessionId)).disconnectSockets(true);
}

function registerRoomHandlers(socket: RallySocket, activities: ActivityService): void {
  const viewer = () => ({ id: socket.data.userId, displayName: socket.data.displayName });

  socket.on('room:join', async (payload, ack) => {
    const reply = replier<{ room: string }>(ack);
    const result = await answer(async () => {
      const { activityId } = RoomJoinPayload.parse(payload);
      // Checked on every join: membership can change between two joins.
      await activities.requireVisible(viewer(), activityId);
      const room = activityRoom(activityId);
      await socket.join(room);
      return { room };
    });
    reply(result);
  });

  socket.on('room:leave', async (payload, ack) => {
    const reply = replier<{ room: string }>(ack);
    const result = await answer(async () => {
      const { activityId } = RoomJoinPayload.parse(payload);
      const room = activityRoom(activityId);
      await socket.leave(room);
      return { room };
    });
    reply(result);
  });
}
