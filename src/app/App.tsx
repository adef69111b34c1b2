import { useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
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
      <RouterProvider router={router} />
      <UpdatePrompts />
    </QueryClientProvider>
  );
}
