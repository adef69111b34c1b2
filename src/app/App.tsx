import { BrowserRouter } from 'react-router';
import { LocalDataProvider } from './local-data/LocalDataProvider';
import { AppRoutes } from './router';
import { UpdatePrompts } from './UpdatePrompts';

export function App() {
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
