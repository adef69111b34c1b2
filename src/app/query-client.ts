import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../net/api-error';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Socket events keep the cache current; refetches mostly cover missed events.
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
