import { useSyncExternalStore } from 'react';
import { session, useSession, type SessionState } from './auth-client';
import { socketStatus, useSocketStatus, type SocketStatus } from './socket-state';

export type ConnectionState = 'online' | 'connecting' | 'offline';

function subscribeToNetwork(listener: () => void): () => void {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}

export function useNavigatorOnline(): boolean {
  return useSyncExternalStore(subscribeToNetwork, () => navigator.onLine, () => true);
}

/**
 * "Online" means realtime works: the device has a network and the socket is connected.
 * navigator.onLine=false is trusted at once; true only means "worth trying".
 */
export function connectionStateOf(networkUp: boolean, socket: SocketStatus, sessionState: SessionState): ConnectionState {
  if (!networkUp) return 'offline';
  if (sessionState.status === 'signed-in' && sessionState.token === 'offline') return 'offline';
  if (socket === 'connected') return 'online';
  if (socket === 'connecting' || socket === 'idle') return 'connecting';
  return 'offline';
}

export function useConnectionState(): ConnectionState {
  return connectionStateOf(useNavigatorOnline(), useSocketStatus(), useSession());
}

/** The connection state now, for code outside React. */
export function currentConnectionState(): ConnectionState {
  return connectionStateOf(navigator.onLine, socketStatus.get(), session.get());
}

/** Calls `listener` whenever something the connection state depends on changes. */
export function subscribeToConnectionState(listener: () => void): () => void {
  const stops = [subscribeToNetwork(listener), socketStatus.subscribe(listener), session.subscribe(listener)];
  return () => {
    for (const stop of stops) stop();
  };
}
