import { onlineManager, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../net/api-error';
import { currentConnectionState, subscribeToConnectionState } from '../net/connection-state';

/**
 * TanStack Query carries the reads the device does not own (people search, another user's
 * profile, older message pages on their way into the device's database) and the one server-only
 * write, an invitation. Everything the device holds is read from Dexie instead.
 */
export function createQueryClient(): QueryClient {
  followRallyConnection();
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Nothing tells the cache these answers changed: a refetch after 30 s keeps them fresh enough.
        staleTime: 30_000,
        gcTime: 24 * 60 * 60 * 1000,
        retry: (failureCount, error) =>
          failureCount < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
      mutations: {
        // Fail at once when offline so the UI can say so, instead of a button spinning forever.
        networkMode: 'always',
      },
    },
  });
}

/**
 * Server reads pause while Rally itself is offline (no network, a session that cannot be
 * refreshed, a socket given up on), not only when the browser says so, and resume when it is back.
 */
function followRallyConnection(): void {
  onlineManager.setEventListener((setOnline) => {
    const update = () => setOnline(currentConnectionState() !== 'offline');
    update();
    return subscribeToConnectionState(update);
  });
}
