import type { ConversationSettings, PushPreferences } from './push';

/**
 * The push settings' defaults and the mute rule, without zod: the page's first load reads them
 * (unread counts, the chat list) and not the schemas, which load after it (issue 13). push.ts
 * re-exports them beside the schemas they go with.
 */

export const DEFAULT_PUSH_PREFERENCES: PushPreferences = { messages: true, announcements: true, activityUpdates: true, invitations: true };

/** Muted "always" is muted until this instant, so a mute is one comparison of two ISO strings. */
export const MUTED_FOREVER = '9999-12-31T23:59:59.999Z';

export function isMuted(settings: Pick<ConversationSettings, 'mutedUntil'> | undefined, now: Date): boolean {
  return settings?.mutedUntil != null && new Date(settings.mutedUntil).getTime() > now.getTime();
}

/**
 * The tag of a call's notification (and its push topic): the ringing one and the missed one that
 * follows replace each other, and a page that takes the call closes it by this tag.
 */
export function callPushTag(callId: string): string {
  return `call:${callId}`;
}

/** The query parameter that tells a page opened from a call's "Accept" to answer that call when it rings. */
export const ANSWER_CALL_PARAM = 'answer';

export function callAnswerPath(chatPath: string, callId: string): string {
  return `${chatPath}?${ANSWER_CALL_PARAM}=${encodeURIComponent(callId)}`;
}

/** How many conversations a user may pin to the top of their chat list. */
export const MAX_PINNED_CONVERSATIONS = 3;

/**
 * An archived conversation stays out of the chat list until a message newer than the archiving
 * arrives while it is not muted: a muted, archived room stays quiet. Derived on every device from
 * the synced settings and the newest message, so devices agree without the server un-archiving.
 */
export function isArchived(
  settings: Partial<Pick<ConversationSettings, 'mutedUntil' | 'archivedAt'>> | undefined,
  newestMessageAt: string | null,
  now: Date,
): boolean {
  const archivedAt = settings?.archivedAt ?? null;
  if (archivedAt === null) return false;
  if (newestMessageAt === null || Date.parse(newestMessageAt) <= Date.parse(archivedAt)) return true;
  return isMuted({ mutedUntil: settings?.mutedUntil ?? null }, now);
}
