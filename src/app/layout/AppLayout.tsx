import { Suspense } from 'react';
import { Outlet } from 'react-router';
import { useSession } from '../../net/auth-client';
import { RefusalNotice } from '../../features/outbox/RefusalNotice';
import { AppHeader } from './AppHeader';
import { CallLayer } from '../../features/calls/CallLayer';
import { AnnouncementBanners, StatusBanners } from './StatusBanners';
import { OpeningRally } from '../../ui/feedback';
import './layout.css';

/** The signed-in frame: header, notices, and the current screen. */
export function AppLayout() {
  const sessionState = useSession();
  if (sessionState.status !== 'signed-in') return null;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader user={sessionState.user} />
      <StatusBanners offlineSession={sessionState.token === 'offline'} />
      <AnnouncementBanners />
      <RefusalNotice />
      <main id="main" className="app-main" tabIndex={-1}>
        {/* A start on a screen whose code is not loaded yet shows the header meanwhile. */}
        <Suspense fallback={<OpeningRally />}>
          <Outlet />
        </Suspense>
      </main>
      <CallLayer />
    </div>
  );
}
