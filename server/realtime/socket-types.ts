import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no server-to-server events yet
export interface InterServerEvents {}

export interface SocketData {
  userId: string;
  displayName: string;
  /** The session its token belongs to, if the token names one. */
  sessionId: string | undefined;
  /** When its token expires (ms since the epoch): then it closes unless renewed (`auth:renew`). */
  tokenExpiresAt: number;
  /** When it connected (ms since the epoch): the oldest of a user's sockets is the first to go over the cap. */
  connectedAt: number;
}

export type RallyServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type RallySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
