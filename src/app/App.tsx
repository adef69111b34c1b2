import { useEffect } from 'react';
import { BrowserRouter } from 'react-router';
import { loadDateDataSoon } from '../ui/date-format';
import { LocalDataProvider } from './local-data/LocalDataProvider';
import { AppRoutes } from './router';
import { UpdatePrompts } from './UpdatePrompts';

export function App() {
  // After the first render has committed, and before the first date is on screen.
  useEffect(loadDateDataSoon, []);
  return (
    <>
      <LocalDataProvider>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </LocalDataProvider>
      <UpdatePrompts />
    </>
  );
}
