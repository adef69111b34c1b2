import { useSyncExternalStore } from 'react';
import { useSession } from './auth-client';
import { useSocketStatus } from './socket';

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
export function useConnectionState(): ConnectionState {
  const networkUp = useNavigatorOnline();
  const socket = useSocketStatus();
  const sessionState = useSession();
  if (!networkUp) return 'offline';
  if (sessionState.status === 'signed-in' && sessionState.token === 'offline') return 'offline';
  if (socket === 'connected') return 'online';
  if (socket === 'connecting' || socket === 'idle') return 'connecting';
  return 'offline';
}
