import { useLiveQuery } from './live-query';
import type { PushPreferences } from '../../protocol';
import { DEFAULT_PUSH_PREFERENCES, isMuted } from '../../protocol/push-rules';
import type { LocalConversationSettings, LocalNotification } from '../../device-db/local-db';
import { readUnreadNotifications } from '../../device-db/unread-counts';
import { useAfterFirstScreen, useScreenShownWhen } from './first-screen';
import { useLocalSession } from './local-session';

/** Live reads of the notification center and the user's push settings; `undefined` means "still reading". */

/** Every notification on the device, newest first. */
export function useNotifications(): LocalNotification[] | undefined {
  const local = useLocalSession();
  const notifications = useLiveQuery(async () => (local ? local.db.notifications.orderBy('createdAt').reverse().toArray() : undefined), [local]);
  useScreenShownWhen(notifications !== undefined);
  return notifications;
}

/** 0 while reading, and until the screen has shown its own data. */
export function useUnreadNotificationCount(): number {
  const local = useLocalSession();
  const counting = useAfterFirstScreen() ? local : null;
  return useLiveQuery(() => (counting ? readUnreadNotifications(counting.db) : 0), [counting], 0);
}

/** Which kinds push; the defaults until the feed brings the user's own. */
export function usePushPreferences(): PushPreferences {
  const local = useLocalSession();
  return useLiveQuery(async () => (local ? ((await local.db.userSettings.get(local.userId))?.push ?? DEFAULT_PUSH_PREFERENCES) : DEFAULT_PUSH_PREFERENCES), [local], DEFAULT_PUSH_PREFERENCES);
}

/** Until when a conversation is muted (null: not muted, or the mute has run out). */
export function useMutedUntil(conversationId: string): string | null {
  const local = useLocalSession();
  const settings = useLiveQuery(() => local?.db.conversationSettings.get(conversationId), [local, conversationId]);
  return isMuted(settings, new Date()) ? (settings?.mutedUntil ?? null) : null;
}

/** The user's settings of every conversation they changed any (mute, pin, archive), by conversation. */
export function useConversationSettings(): ReadonlyMap<string, LocalConversationSettings> | undefined {
  const local = useLocalSession();
  const rows = useLiveQuery(async () => (local ? local.db.conversationSettings.toArray() : []), [local]);
  return rows && new Map(rows.map((row) => [row.conversationId, row]));
}
