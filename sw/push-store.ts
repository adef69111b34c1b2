import type { LocalChange } from '../device-db/apply-changes';
import { writeLastBadge } from '../device-db/device-state';
import { openLocalDb, type RallyLocalDb } from '../device-db/local-db';
import { readBadgeCount } from '../device-db/unread-counts';
import { writeChanges } from '../device-db/write-changes';
import type { PushPayload } from '../protocol/push';

/**
 * What a push writes into its user's device database, so tapping it shows the message or the
 * notification with no network. It goes through the page's own writer (device-db/): the same
 * version rules, so a pushed copy never overwrites a newer one the page already pulled, and the
 * page's live queries hear of it as of any other write. Versions are the feed's: a message's is
 * its position; a notification's is unknown here, so it is stored as 0 and the feed's copy wins.
 */
export function changesOf(payload: PushPayload): LocalChange[] {
  const changes: LocalChange[] = [];
  if (payload.message) changes.push({ entity: 'message', op: 'upsert', id: payload.message.id, version: payload.message.seq, data: payload.message });
  if (payload.notification) changes.push({ entity: 'notification', op: 'upsert', id: payload.notification.id, version: 0, data: payload.notification });
  return changes;
}

/** Opens the user's database only for as long as one write or read takes (the worker may be killed any time). */
export async function withUserDb<T>(userId: string, use: (db: RallyLocalDb) => Promise<T>): Promise<T> {
  const db = openLocalDb(userId);
  try {
    return await use(db);
  } finally {
    db.close();
  }
}

export async function storePushed(payload: PushPayload): Promise<void> {
  const changes = changesOf(payload);
  if (changes.length === 0) return;
  // A message of a conversation this device does not hold yet would be an orphan nothing lists;
  // the next pull brings both.
  await withUserDb(payload.userId, async (db) => {
    const known = payload.conversationId === null || (await db.conversations.get(payload.conversationId)) !== undefined;
    await writeChanges(db, known ? changes : changes.filter((change) => change.entity !== 'message'));
  });
}

/** The app badge: unread messages and notifications of the signed-in user; cleared at zero. */
export async function updateBadge(scope: ServiceWorkerGlobalScope, userId: string): Promise<void> {
  const count = await withUserDb(userId, (db) => readBadgeCount(db, userId));
  const navigatorWithBadge = scope.navigator as WorkerNavigator & { setAppBadge?: (n?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
  // Not every browser has badges; where there are none, the count is still recorded.
  if (count > 0) await navigatorWithBadge.setAppBadge?.(count).catch(() => undefined);
  else await navigatorWithBadge.clearAppBadge?.().catch(() => undefined);
  await writeLastBadge(count, 'worker', new Date());
}
