import { MAX_PINNED_CONVERSATIONS, type PushPreferences, type Resolution } from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import { findConversationFor } from '../chat/chat-store';
import { takeNextSeq } from '../db/change-sequence';
import type { Db } from '../db/connect';
import { AppError, notFound } from '../http/app-error';
import { markNotificationsRead, ownNotificationIds } from './notifications-store';
import {
  countPinned,
  readConversationSettings,
  readMutedUntil,
  readPushPreferences,
  writeConversationSetting,
  writeMutedUntil,
  writePushPreferences,
} from './settings-store';

/**
 * The user's own things the notification center and settings screens write: reading
 * notifications, push preferences, muting, pinning and archiving a conversation. Each runs inside the write path's
 * transaction and takes a change position only when it changes something, so every device of the
 * user hears of it through the feed, and a repeat is 'unchanged'.
 */
export interface UserSettingsService {
  readNotifications(viewer: Viewer, ids: readonly string[]): Promise<Resolution>;
  readAllNotifications(viewer: Viewer, upTo: string): Promise<Resolution>;
  setPushPreferences(viewer: Viewer, push: Partial<PushPreferences>): Promise<Resolution>;
  muteConversation(viewer: Viewer, conversationId: string, mutedUntil: string | null): Promise<Resolution>;
  /** Pins (or unpins) it to the top of the user's chat list; a fourth pin is refused. */
  pinConversation(viewer: Viewer, conversationId: string, pinned: boolean): Promise<Resolution>;
  /** Archives it (out of the list until a newer unmuted message), or brings it back. */
  archiveConversation(viewer: Viewer, conversationId: string, archived: boolean): Promise<Resolution>;
}

export function createUserSettingsService(deps: { db: Db; now: () => Date; onOwnChange?: (userId: string, seq: number) => void }): UserSettingsService {
  const { db, now } = deps;
  // Every change here is the viewer's own: their other devices are told to pull once it commits.
  const stamp = async (viewer: Viewer) => {
    const seq = await takeNextSeq(db);
    deps.onOwnChange?.(viewer.id, seq);
    return { seq, at: now().toISOString() };
  };
  const resolutionOf = (changed: boolean): Resolution => (changed ? 'applied' : 'unchanged');

  return {
    async readNotifications(viewer, ids) {
      const unique = [...new Set(ids)];
      // One id that is not theirs refuses the whole request, as if none existed: no probing others' ids.
      if ((await ownNotificationIds(db, viewer.id, unique)).size !== unique.length) throw notFound('Notification');
      return resolutionOf((await markNotificationsRead(db, viewer.id, { ids: unique }, await stamp(viewer))) > 0);
    },

    async readAllNotifications(viewer, upTo) {
      return resolutionOf((await markNotificationsRead(db, viewer.id, { upTo }, await stamp(viewer))) > 0);
    },

    async setPushPreferences(viewer, push) {
      const current = await readPushPreferences(db, viewer.id);
      const merged = { ...current, ...push };
      if (JSON.stringify(merged) === JSON.stringify(current) && (await hasStoredSettings(db, viewer.id))) return 'unchanged';
      const { seq } = await stamp(viewer);
      await writePushPreferences(db, viewer.id, merged, seq);
      return 'applied';
    },

    async muteConversation(viewer, conversationId, mutedUntil) {
      if (!(await findConversationFor(db, conversationId, viewer.id))) throw notFound('Conversation');
      if ((await readMutedUntil(db, viewer.id, conversationId)) === mutedUntil) return 'unchanged';
      const { seq } = await stamp(viewer);
      await writeMutedUntil(db, viewer.id, conversationId, mutedUntil, seq);
      return 'applied';
    },

    async pinConversation(viewer, conversationId, pinned) {
      if (!(await findConversationFor(db, conversationId, viewer.id))) throw notFound('Conversation');
      const current = await readConversationSettings(db, viewer.id, conversationId);
      if ((current?.pinnedAt != null) === pinned) return 'unchanged';
      // Counted inside the write path's transaction, after its lock: two devices pinning at once cannot both make a fourth.
      if (pinned && (await countPinned(db, viewer.id)) >= MAX_PINNED_CONVERSATIONS) {
        throw new AppError('too_many_pinned', `You can pin up to ${MAX_PINNED_CONVERSATIONS} chats; unpin one first`);
      }
      const { seq, at } = await stamp(viewer);
      await writeConversationSetting(db, viewer.id, conversationId, { pinnedAt: pinned ? at : null }, seq);
      return 'applied';
    },

    async archiveConversation(viewer, conversationId, archived) {
      if (!(await findConversationFor(db, conversationId, viewer.id))) throw notFound('Conversation');
      const current = await readConversationSettings(db, viewer.id, conversationId);
      if ((current?.archivedAt != null) === archived) return 'unchanged';
      const { seq, at } = await stamp(viewer);
      await writeConversationSetting(db, viewer.id, conversationId, { archivedAt: archived ? at : null }, seq);
      return 'applied';
    },
  };
}

async function hasStoredSettings(db: Db, userId: string): Promise<boolean> {
  return (await db.selectFrom('userSettings').select('userId').where('userId', '=', userId).executeTakeFirst()) !== undefined;
}
