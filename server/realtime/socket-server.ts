import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import {
  activityRoom,
  conversationRoom,
  isSupportedProtocolVersion,
  RoomJoinPayload,
  SocketAuth,
  userRoom,
  type ErrorCode,
} from '../../protocol';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { isAllowedOrigin } from '../auth/request-origin';
import type { ActivityService } from '../activities/activity-service';
import type { ChatService } from '../chat/chat-service';
import { listConversationIdsOf } from '../chat/chat-store';
import type { Db } from '../db/connect';
import type { MutationService } from '../mutations/mutation-service';
import { registerChatHandlers, type SocketLimits } from './chat-sockets';
import { answer, replier } from './socket-answer';
import type { PresenceRegistry } from './presence-registry';
import { AppError } from '../http/app-error';
import type { RallyServer, RallySocket } from './socket-types';

export interface SocketServerDeps {
  httpServer: HttpServer;
  tokens: AccessTokenIssuer;
  activities: ActivityService;
  chat: ChatService;
  mutations: MutationService;
  presence: PresenceRegistry;
  db: Db;
  allowedOrigins: string[];
  socketLimits?: SocketLimits | undefined;
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
      const claims = await deps.tokens.verify(auth.data.token);
      socket.data.userId = claims.sub;
      socket.data.displayName = claims.name;
      // Read before the connection completes, so its rooms are joined before any event can be missed.
      socket.data.conversationIds = await listConversationIdsOf(deps.db, claims.sub);
      next();
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'unauthorized';
      next(new SocketRefusal(code, error instanceof AppError ? error.message : 'Access token is not valid'));
    }
  });

  io.on('connection', (socket) => {
    void socket.join([userRoom(socket.data.userId), ...socket.data.conversationIds.map(conversationRoom)]);
    registerRoomHandlers(socket, deps.activities);
    registerChatHandlers(socket, { io, chat: deps.chat, mutations: deps.mutations, presence: deps.presence, limits: deps.socketLimits });
  });

  return io;
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
