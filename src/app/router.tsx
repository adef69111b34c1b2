import { createBrowserRouter } from 'react-router';
import { LoginScreen } from '../features/auth/LoginScreen';
import { FeedScreen } from '../features/activities/FeedScreen';
import { ActivityDetailScreen } from '../features/activities/ActivityDetailScreen';
import { CreateActivityScreen, EditActivityScreen } from '../features/activities/ActivityFormScreens';
import { ProfileScreen } from '../features/profile/ProfileScreen';
import { ChatScreen } from '../features/chat/ChatScreen';
import { ChatListScreen } from '../features/chat/ChatListScreen';
import { OutboxScreen } from '../features/outbox/OutboxScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { NotificationsScreen } from '../features/notifications/NotificationsScreen';
import { AppLayout } from './layout/AppLayout';
import { RequireSession } from './RequireSession';
import { NotFoundScreen } from './NotFoundScreen';
import { CrashScreen } from './CrashScreen';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginScreen />, errorElement: <CrashScreen /> },
  {
    element: <RequireSession />,
    errorElement: <CrashScreen />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <FeedScreen /> },
          { path: 'activities/new', element: <CreateActivityScreen /> },
          { path: 'activities/:activityId', element: <ActivityDetailScreen /> },
          { path: 'activities/:activityId/edit', element: <EditActivityScreen /> },
          { path: 'profile/:userId', element: <ProfileScreen /> },
          { path: 'chat', element: <ChatListScreen /> },
          { path: 'chat/:chatId', element: <ChatScreen /> },
          { path: 'outbox', element: <OutboxScreen /> },
          { path: 'settings', element: <SettingsScreen /> },
          { path: 'notifications', element: <NotificationsScreen /> },
          { path: '*', element: <NotFoundScreen /> },
        ],
      },
    ],
  },
]);
