import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no server-to-server events yet
export interface InterServerEvents {}

export interface SocketData {
  userId: string;
  displayName: string;
}

export type RallyServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type RallySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
