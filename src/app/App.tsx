import { RouterProvider } from 'react-router';
import { LocalDataProvider } from './local-data/LocalDataProvider';
import { router } from './router';
import { useSessionRealtime } from './session-realtime';
import { UpdatePrompts } from './UpdatePrompts';

function SessionRealtime() {
  useSessionRealtime();
  return null;
}

export function App() {
  return (
    <>
      <SessionRealtime />
      <LocalDataProvider>
        <RouterProvider router={router} />
      </LocalDataProvider>
      <UpdatePrompts />
    </>
  );
}
