import { useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { LocalDataProvider } from './local-data/LocalDataProvider';
import { createQueryClient } from './query-client';
import { router } from './router';
import { useSessionRealtime } from './session-realtime';
import { UpdatePrompts } from './UpdatePrompts';

function SessionRealtime() {
  useSessionRealtime();
  return null;
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <SessionRealtime />
      <LocalDataProvider>
        <RouterProvider router={router} />
      </LocalDataProvider>
      <UpdatePrompts />
    </QueryClientProvider>
  );
}
