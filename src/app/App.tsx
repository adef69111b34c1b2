import { RouterProvider } from 'react-router';
import { LocalDataProvider } from './local-data/LocalDataProvider';
import { router } from './router';
import { UpdatePrompts } from './UpdatePrompts';

export function App() {
  return (
    <>
      <LocalDataProvider>
        <RouterProvider router={router} />
      </LocalDataProvider>
      <UpdatePrompts />
    </>
  );
}
