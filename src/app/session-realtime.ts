import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useSession } from '../net/auth-client';
import { closeSocket, openSocket, useSocket } from '../net/socket';
import { useActivityRealtime } from '../features/activities/realtime';

/**
 * Ties the socket and the query cache to the session: one socket while signed in with a token,
 * none otherwise, and no cached data carried from one user to the next.
 */
export function useSessionRealtime(): void {
  const sessionState = useSession();
  const queryClient = useQueryClient();
  const userId = sessionState.status === 'signed-in' ? sessionState.user.id : null;
  const hasToken = sessionState.status === 'signed-in' && !sessionState.offline;

  useEffect(() => {
    if (!hasToken) return;
    openSocket();
    return closeSocket;
  }, [hasToken, userId]);

  useEffect(() => {
    // A different user on this device must not see the previous one's cached activities.
    return () => queryClient.clear();
  }, [userId, queryClient]);

  useActivityRealtime(useSocket(), userId);
}
