import { createBrowserRouter, type LazyRouteFunction, type RouteObject } from 'react-router';
import type { ComponentType } from 'react';
import { FeedScreen } from '../features/activities/FeedScreen';
import { Spinner } from '../ui/feedback';
import { AppLayout } from './layout/AppLayout';
import { RequireSession } from './RequireSession';
import { NotFoundScreen } from './NotFoundScreen';
import { CrashScreen } from './CrashScreen';

/**
 * A screen fetched when its route is first matched, so the first paint of the feed does not wait
 * for every other screen's code. Each chunk is in the worker's precache (vite.config.ts), so a
 * route never visited still opens offline. The router keeps the current screen up while it loads.
 * TanStack Query comes with the first of them (query-scope.tsx): the feed never asks it.
 */
function screen<M>(load: () => Promise<M>, pick: (module: M) => ComponentType, { wholeContract = true } = {}): LazyRouteFunction<RouteObject> {
  return async () => {
    // First, as a screen's module may build the contract's schemas as it loads: Zod configured
    // (src/net/zod-without-eval.ts), then, for the signed-in screens, which sync and write, the
    // schemas built a part per task (src/net/contract-in-steps.ts).
    if (wholeContract) await import('../net/contract-in-steps').then(({ buildContractInSteps }) => buildContractInSteps());
    else await import('../net/zod-without-eval');
    const [module, { withQueryClient }] = await Promise.all([load(), import('./query-scope')]);
    return { Component: withQueryClient(pick(module)) };
  };
}

export const router = createBrowserRouter([
  {
    path: '/login',
    // The sign-in form needs only the sign-in schemas: a visitor's first screen does not wait for the rest.
    lazy: screen(() => import('../features/auth/LoginScreen'), (m) => m.LoginScreen, { wholeContract: false }),
    errorElement: <CrashScreen />,
    // Shown only when the first URL opened is a lazy screen, until its chunk arrives.
    hydrateFallbackElement: <Spinner label="Opening Rally…" />,
  },
  {
    element: <RequireSession />,
    errorElement: <CrashScreen />,
    hydrateFallbackElement: <Spinner label="Opening Rally…" />,
    children: [
      {
        element: <AppLayout />,
        children: [
          // The feed is the first paint of a signed-in start, from the device's database: eager.
          { index: true, element: <FeedScreen /> },
          {
            path: 'activities/new',
            lazy: screen(() => import('../features/activities/ActivityFormScreens'), (m) => m.CreateActivityScreen),
          },
          {
            path: 'activities/:activityId',
            lazy: screen(() => import('../features/activities/ActivityDetailScreen'), (m) => m.ActivityDetailScreen),
          },
          {
            path: 'activities/:activityId/edit',
            lazy: screen(() => import('../features/activities/ActivityFormScreens'), (m) => m.EditActivityScreen),
          },
          { path: 'profile/:userId', lazy: screen(() => import('../features/profile/ProfileScreen'), (m) => m.ProfileScreen) },
          { path: 'chat', lazy: screen(() => import('../features/chat/ChatListScreen'), (m) => m.ChatListScreen) },
          { path: 'chat/search', lazy: screen(() => import('../features/search/MessageSearchScreen'), (m) => m.MessageSearchScreen) },
          { path: 'chat/:chatId', lazy: screen(() => import('../features/chat/ChatScreen'), (m) => m.ChatScreen) },
          { path: 'outbox', lazy: screen(() => import('../features/outbox/OutboxScreen'), (m) => m.OutboxScreen) },
          { path: 'settings', lazy: screen(() => import('../features/settings/SettingsScreen'), (m) => m.SettingsScreen) },
          { path: 'admin/flags', lazy: screen(() => import('../features/admin/FlagsAdminScreen'), (m) => m.FlagsAdminScreen) },
          { path: 'admin/analytics', lazy: screen(() => import('../features/admin/AnalyticsAdminScreen'), (m) => m.AnalyticsAdminScreen) },
          { path: 'admin/reports', lazy: screen(() => import('../features/admin/ReportsAdminScreen'), (m) => m.ReportsAdminScreen) },
          {
            path: 'notifications',
            lazy: screen(() => import('../features/notifications/NotificationsScreen'), (m) => m.NotificationsScreen),
          },
          { path: '*', element: <NotFoundScreen /> },
        ],
      },
    ],
  },
]);
