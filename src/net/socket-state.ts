import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol';
import { ObservableValue, useObservableValue } from './observable-value';

/**
 * What the page knows of the session's socket, apart from the code that opens it (socket.ts):
 * the header, the banners and the update prompt read these from the first paint, while
 * socket.io-client itself loads after it (issue 13).
 */

export type RallySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** 'refused': the server turned the socket away for a reason a retry will not fix. */
export type SocketStatus = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'refused';

export const socketStatus = new ObservableValue<SocketStatus>('idle');
/** Set when the server no longer speaks this page's protocol: the page must reload. */
export const updateRequired = new ObservableValue<boolean>(false);
/** The session's socket if one is open (connected or not); set only by socket.ts. */
export const currentSocket = new ObservableValue<RallySocket | null>(null);
/** The reconnection attempt under way (0 when connected or not trying). */
export const reconnectAttempt = new ObservableValue<number>(0);

/** The session's socket if one is open (connected or not). */
export function openedSocket(): RallySocket | null {
  return currentSocket.get();
}

export function useSocket(): RallySocket | null {
  return useObservableValue(currentSocket);
}

export function useReconnectAttempt(): number {
  return useObservableValue(reconnectAttempt);
}

export function useSocketStatus(): SocketStatus {
  return useObservableValue(socketStatus);
}

/**
 * The session's socket once it is connected, waiting up to `timeoutMs` for it: a call placed in
 * the page's first second (before the parts that open the socket have loaded, or while it
 * connects) goes through instead of failing. Null if none connected in time.
 */
export function connectedSocket(timeoutMs: number): Promise<RallySocket | null> {
  const now = currentSocket.get();
  if (now?.connected) return Promise.resolve(now);
  return new Promise((resolve) => {
    const finish = (socket: RallySocket | null) => {
      clearTimeout(timer);
      for (const stop of stops) stop();
      resolve(socket);
    };
    const check = () => {
      const socket = currentSocket.get();
      if (socket?.connected) finish(socket);
    };
    const stops = [currentSocket.subscribe(check), socketStatus.subscribe(check)];
    const timer = setTimeout(() => finish(null), timeoutMs);
  });
}
