import { io, type Socket } from 'socket.io-client';
import {
  ConnectErrorData,
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketAuth,
} from '../../protocol';
import { currentAccessToken, refreshSession } from './auth-client';
import { ObservableValue, useObservableValue } from './observable-value';

export type RallySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** 'refused': the server turned the socket away for a reason a retry will not fix. */
export type SocketStatus = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'refused';

export const socketStatus = new ObservableValue<SocketStatus>('idle');
/** Set when the server no longer speaks this page's protocol: the page must reload. */
export const updateRequired = new ObservableValue<boolean>(false);
const currentSocket = new ObservableValue<RallySocket | null>(null);

/** Consecutive auth refusals; stops a refresh → refuse → refresh loop if the server keeps saying no. */
const MAX_AUTH_RETRIES = 3;

export function useSocket(): RallySocket | null {
  return useObservableValue(currentSocket);
}

export function useSocketStatus(): SocketStatus {
  return useObservableValue(socketStatus);
}

/** Opens the session's one socket; a no-op if it is already open. */
export function openSocket(): RallySocket {
  const existing = currentSocket.get();
  if (existing) return existing;

  const socket: RallySocket = io({
    // The callback runs on every (re)connect, so a refreshed token is always the one sent.
    auth: (send) => send({ token: currentAccessToken() ?? '', protocolVersion: PROTOCOL_VERSION } satisfies SocketAuth),
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
  });
  let authRetries = 0;

  socketStatus.set('connecting');
  socket.on('connect', () => {
    authRetries = 0;
    socketStatus.set('connected');
  });
  socket.on('disconnect', () => socketStatus.set(socket.active ? 'connecting' : 'disconnected'));
  socket.io.on('reconnect_attempt', () => socketStatus.set('connecting'));
  socket.on('connect_error', (error) => {
    // Refusals by the server's middleware are not retried by socket.io; network errors are.
    if (socket.active) {
      socketStatus.set('connecting');
      return;
    }
    const refusal = ConnectErrorData.safeParse((error as Error & { data?: unknown }).data);
    const code = refusal.success ? refusal.data.code : 'unauthorized';
    if (code === 'unsupported_protocol') {
      updateRequired.set(true);
      socketStatus.set('refused');
      return;
    }
    if (authRetries >= MAX_AUTH_RETRIES) {
      socketStatus.set('refused');
      return;
    }
    authRetries++;
    socketStatus.set('connecting');
    void refreshSession().then((outcome) => {
      if (outcome === 'refreshed' && currentSocket.get() === socket) socket.connect();
      else if (outcome !== 'refreshed') socketStatus.set('disconnected');
    });
  });

  currentSocket.set(socket);
  return socket;
}

export function closeSocket(): void {
  const socket = currentSocket.get();
  if (!socket) return;
  socket.removeAllListeners();
  socket.io.removeAllListeners();
  socket.disconnect();
  currentSocket.set(null);
  socketStatus.set('idle');
}
