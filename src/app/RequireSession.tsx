import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../net/auth-client';
import { OpeningRally } from '../ui/feedback';

/** Routes under it need a user; anyone else goes to /login and comes back after signing in. */
export function RequireSession() {
  const sessionState = useSession();
  const location = useLocation();

  if (sessionState.status === 'restoring') return <OpeningRally />;
  if (sessionState.status === 'signed-out') {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}
