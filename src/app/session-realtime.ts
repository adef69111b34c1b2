import { useEffect } from 'react';
import { useSession } from '../net/auth-client';
import { closeSocket, openSocket } from '../net/socket';
import { startFeatureFlags } from './feature-flags';

/**
 * Feature flags for the signed-in user (feature-flags.ts), and one socket while signed in with a
 * token, none otherwise. What arrives on it is applied to the
 * device's database through the table in src/app/local-data/socket-events.ts.
 */
export function useSessionRealtime(): void {
  const sessionState = useSession();
  const userId = sessionState.status === 'signed-in' ? sessionState.user.id : null;
  const hasToken = sessionState.status === 'signed-in' && sessionState.token === 'ready';

  // Flags start from the device's last answer, token or not (offline, a cold start).
  useEffect(() => {
    if (userId) startFeatureFlags(userId);
  }, [userId]);

  useEffect(() => {
    if (!hasToken) return;
    openSocket();
    return closeSocket;
  }, [hasToken, userId]);
}
