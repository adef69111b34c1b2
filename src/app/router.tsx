import { lazy, Suspense, useEffect, type ComponentType, type ReactNode } from 'react';
import { matchRoutes, useLocation, useRoutes, type RouteObject } from 'react-router';
import { reportScreenView } from '../analytics/screen-views';
import { FeedScreen } from '../features/activities/FeedScreen';
import { OpeningRally } from '../ui/feedback';
import { AppLayout } from './layout/AppLayout';
import { RequireSession } from './RequireSession';
import { NotFoundScreen } from './NotFoundScreen';
import { RouteErrorBoundary } from './CrashScreen';

/**
 * A screen fetched when its route is first rendered, so the first paint of the feed does not wait
 * for every other screen's code. Each chunk is in the worker's precache (vite.config.ts), so a
 * route never visited still opens offline. Navigations are transitions (BrowserRouter makes them
 * so), so the current screen stays up while the next one's code loads.
 * TanStack Query comes with the first of them (query-scope.tsx): the feed never asks it.
 */
function screen<M>(load: () => Promise<M>, pick: (module: M) => ComponentType, { wholeContract = true } = {}): ReactNode {
  const Screen = lazy(async () => {
    // First, as a screen's module may build the contract's schemas as it loads: Zod configured
    // (src/net/zod-without-eval.ts), then, for the signed-in screens, which sync and write, the
    // schemas built a part per task (src/net/contract-in-steps.ts).
    if (wholeContract) await import('../net/contract-in-steps').then(({ buildContractInSteps }) => buildContractInSteps());
    else await import('../net/zod-without-eval');
    const [module, { withQueryClient }] = await Promise.all([load(), import('./query-scope')]);
    return { default: withQueryClient(pick(module)) };
  });
  return <Screen />;
}

// Declared with React Router's component routing, not its data router (createBrowserRouter):
// Rally loads no route data (screens read the device's database), and the data router's code
// was 54 KB (minified) of the first bundle, evaluated on every start.
export const routes: RouteObject[] = [
  {
    path: '/login',
    // The sign-in form needs only the sign-in schemas: a visitor's first screen does not wait for the rest.
    element: screen(() => import('../features/auth/LoginScreen'), (m) => m.LoginScreen, { wholeContract: false }),
  },
  {
    element: <RequireSession />,
    children: [
      {
        element: <AppLayout />,
        children: [
          // The feed is the first paint of a signed-in start, from the device's database: eager.
          { index: true, element: <FeedScreen /> },
          {
            path: 'activities/new',
            element: screen(() => import('../features/activities/ActivityFormScreens'), (m) => m.CreateActivityScreen),
          },
          {
            path: 'activities/:activityId',
            element: screen(() => import('../features/activities/ActivityDetailScreen'), (m) => m.ActivityDetailScreen),
          },
          {
            path: 'activities/:activityId/edit',
            element: screen(() => import('../features/activities/ActivityFormScreens'), (m) => m.EditActivityScreen),
          },
          { path: 'profile/:userId', element: screen(() => import('../features/profile/ProfileScreen'), (m) => m.ProfileScreen) },
          { path: 'chat', element: screen(() => import('../features/chat/ChatListScreen'), (m) => m.ChatListScreen) },
          { path: 'chat/search', element: screen(() => import('../features/search/MessageSearchScreen'), (m) => m.MessageSearchScreen) },
          { path: 'chat/:chatId', element: screen(() => import('../features/chat/ChatScreen'), (m) => m.ChatScreen) },
          { path: 'outbox', element: screen(() => import('../features/outbox/OutboxScreen'), (m) => m.OutboxScreen) },
          { path: 'settings', element: screen(() => import('../features/settings/SettingsScreen'), (m) => m.SettingsScreen) },
          { path: 'admin/flags', element: screen(() => import('../features/admin/FlagsAdminScreen'), (m) => m.FlagsAdminScreen) },
          { path: 'admin/analytics', element: screen(() => import('../features/admin/AnalyticsAdminScreen'), (m) => m.AnalyticsAdminScreen) },
          { path: 'admin/reports', element: screen(() => import('../features/admin/ReportsAdminScreen'), (m) => m.ReportsAdminScreen) },
          {
            path: 'notifications',
            element: screen(() => import('../features/notifications/NotificationsScreen'), (m) => m.NotificationsScreen),
          },
          { path: '*', element: <NotFoundScreen /> },
        ],
      },
    ],
  },
];

/**
 * The screen for the current URL. A screen that throws shows the crash screen in its place; the
 * next navigation tries again. Each landing is a screen view (analytics), named by its route.
 */
export function AppRoutes() {
  const location = useLocation();
  const screenFor = useRoutes(routes);
  useEffect(() => {
    reportScreenView(location.pathname, matchRoutes(routes, location.pathname) ?? []);
  }, [location.pathname]);
  return (
    <RouteErrorBoundary pathname={location.pathname}>
      <Suspense fallback={<OpeningRally />}>{screenFor}</Suspense>
    </RouteErrorBoundary>
  );
}
