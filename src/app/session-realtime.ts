import { useEffect } from 'react';
import { useSession } from '../net/auth-client';
import { closeSocket, openSocket } from '../net/socket';

/**
 * One socket while signed in with a token, none otherwise. What arrives on it is applied to the
 * device's database through the table in src/app/local-data/socket-events.ts.
 */
export function useSessionRealtime(): void {
  const sessionState = useSession();
  const userId = sessionState.status === 'signed-in' ? sessionState.user.id : null;
  const hasToken = sessionState.status === 'signed-in' && sessionState.token === 'ready';

  useEffect(() => {
    if (!hasToken) return;
    openSocket();
    return closeSocket;
  }, [hasToken, userId]);
}
