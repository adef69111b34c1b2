import type { ComponentType } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { createQueryClient } from './query-client';

/**
 * Only screens loaded on demand ask TanStack Query (people search, profiles, devices, older
 * messages, invitations), so it loads with them and not with the feed's first paint (issue 13).
 * One client for the page's whole life, shared by every screen, as when it sat at the root.
 */
const queryClient = createQueryClient();

export function withQueryClient(Screen: ComponentType): ComponentType {
  function WithQueryClient() {
    return (
      <QueryClientProvider client={queryClient}>
        <Screen />
      </QueryClientProvider>
    );
  }
  return WithQueryClient;
}
