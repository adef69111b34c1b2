import type { Activity } from '../protocol/activities';
import type { ErrorBody } from '../protocol/errors';
import { messageVersion } from '../protocol/chat';
import { MutationApplied, MutationRejected, type Mutation } from '../protocol/mutations';
import { toLocalActivity } from './apply-changes';
import type { OutboxEntry, RallyLocalDb } from './local-db';
import { activityIdOf } from './mutation-targets';
import { optimisticTables, rollBack } from './optimistic-undo';
import { photoSentBy } from './photo-uploads';

/**
 * How the server's answer to one of this device's mutations (or giving up on it) settles its
 * outbox entry in the device's database. Every carrier of an answer ends here: the page's HTTP
 * send and socket ack (src/outbox/) and the service worker's replay (sw/settle-in-device.ts). The
 * page reads outcomes only from this database, so it never sends a mutation again to learn one.
 */

export type SettledOutcome =
  | { status: 'applied'; activity: Activity | null }
  | { status: 'rejected'; error: ErrorBody }
  | { status: 'failed'; error: { code: string; message: string } };

const UNREADABLE_REFUSAL: ErrorBody = { code: 'unavailable', message: 'Rally could not send this change.' };

/** The final answer (2xx applied, 4xx rejected, or given up: failed) and its body, into the database. */
export async function settleOutcome(db: RallyLocalDb, mutationId: number, outcome: 'applied' | 'rejected' | 'failed', body: unknown): Promise<SettledOutcome> {
  if (outcome === 'applied') {
    const parsed = MutationApplied.safeParse(body);
    const activity = parsed.success ? parsed.data.activity : null;
    const entry = await db.outbox.get(mutationId);
    const activityId = entry ? activityIdOf(entry.mutation) : null;
    // Chat and the user's own settings and notifications: the answer carries no activity.
    if (entry && activityId === null) await settleChatApplied(db, mutationId, parsed.success ? parsed.data : {});
    else if (entry && activityId !== null) await settleApplied(db, mutationId, activityId, activity);
    return { status: 'applied', activity };
  }
  const rejected = MutationRejected.safeParse(body);
  const error: ErrorBody = rejected.success ? rejected.data.error : UNREADABLE_REFUSAL;
  if (outcome === 'rejected') {
    await settleRejected(db, mutationId, { code: error.code, message: error.message });
    return { status: 'rejected', error };
  }
  await settleFailed(db, mutationId, { code: error.code, message: error.message });
  return { status: 'failed', error };
}

const tables = (db: RallyLocalDb) => [db.outbox, ...optimisticTables(db)];

/** A chat mutation's answer: the server's message (with its position) or conversation replaces the pending one. */
async function settleChatApplied(db: RallyLocalDb, mutationId: number, answer: Pick<MutationApplied, 'message' | 'conversation'>): Promise<void> {
  await db.transaction('rw', tables(db), async () => {
    const entry = await db.outbox.get(mutationId);
    if (!entry) return;
    await db.outbox.delete(mutationId);
    // The server holds the photo now: the device's copy of the file is no longer needed to send it.
    const sentPhoto = photoSentBy(entry.mutation);
    if (sentPhoto) await db.pendingPhotos.delete(sentPhoto.hash);
    const { message, conversation } = answer;
    if (message) {
      const stored = await db.messages.get(message.id);
      const version = messageVersion(message);
      // Only over the device's copy (a tombstone, or leaving the activity, may have removed it
      // meanwhile), and only if it is not older than that copy: the answer to an edit that lost
      // to a later one says so, and the winner (already here) stays. An optimistic row keeps the
      // version it had, so the server's copy at that version replaces it.
      if (stored && stored.version <= version) await db.messages.put({ ...message, version });
    }
    if (conversation) {
      const stored = await db.conversations.get(conversation.id);
      if (!stored || stored.version === 0) await db.conversations.put({ ...conversation, version: stored?.version ?? 0 });
    }
  });
}

/**
 * Applied: the entry goes, and the server's activity is stored unless the device already holds a
 * newer one. Null means it is gone for this user (deleted, or left and no longer visible).
 * Idempotent: a second settle of the same entry (another tab, a replayed answer) changes nothing.
 */
async function settleApplied(db: RallyLocalDb, mutationId: number, activityId: string, activity: Activity | null): Promise<void> {
  await db.transaction('rw', tables(db), async () => {
    const entry = await db.outbox.get(mutationId);
    if (!entry) return;
    await db.outbox.delete(mutationId);
    if (activity === null) {
      await Promise.all([
        db.activities.delete(activityId),
        db.members.where('activityId').equals(activityId).delete(),
        db.likes.where('activityId').equals(activityId).delete(),
        db.checkins.where('activityId').equals(activityId).delete(),
      ]);
      return;
    }
    const stored = await db.activities.get(activity.id);
    // Gone from the device meanwhile (a tombstone arrived first): the answer is older than that.
    // Only a create brings a row the device may not hold yet.
    if (!stored && entry.mutation.name !== 'activity.create') return;
    // This user's own answer wins over an equal version (an edit the server kept as it was).
    if (!stored || stored.version <= activity.version) await db.activities.put(toLocalActivity(activity));
  });
}

/** Refused for good: undo the optimistic change, and keep the entry in the failed list with the reason. */
async function settleRejected(db: RallyLocalDb, mutationId: number, error: { code: string; message: string }): Promise<OutboxEntry | null> {
  return db.transaction('rw', tables(db), async () => {
    const entry = await db.outbox.get(mutationId);
    if (!entry || entry.status !== 'pending') return null;
    // A refused delete puts the activity back, unless the refusal is that it is already gone.
    await rollBack(db, entry.undo, { restoreRemoved: removesRows(entry.mutation) && error.code !== 'not_found' });
    const failed: OutboxEntry = { ...entry, status: 'failed', error, rolledBack: true, queuedInWorker: false };
    await db.outbox.put(failed);
    return failed;
  });
}

/** Given up on (retries used up, expired): the optimistic change stays until the user retries or discards. */
export async function settleFailed(db: RallyLocalDb, mutationId: number, error: { code: string; message: string }): Promise<void> {
  await db.transaction('rw', db.outbox, async () => {
    const entry = await db.outbox.get(mutationId);
    if (!entry || entry.status !== 'pending') return;
    await db.outbox.put({ ...entry, status: 'failed', error, queuedInWorker: false });
  });
}

/** The user gave up on a failed entry: undo what is still applied, and forget it (and its photo, unless it is being sent again). */
export async function discardEntry(db: RallyLocalDb, mutationId: number, options: { keepPhoto?: boolean } = {}): Promise<void> {
  await db.transaction('rw', tables(db), async () => {
    const entry = await db.outbox.get(mutationId);
    if (!entry) return;
    if (!entry.rolledBack) await rollBack(db, entry.undo, { restoreRemoved: removesRows(entry.mutation) });
    await db.outbox.delete(mutationId);
    const photo = photoSentBy(entry.mutation);
    if (photo && !options.keepPhoto) await db.pendingPhotos.delete(photo.hash);
  });
}

/** Mutations whose optimistic change removes rows, which undoing it puts back: deleting an activity, deleting a message for me, removing a member. */
function removesRows(mutation: Mutation): boolean {
  return mutation.name === 'activity.delete' || mutation.name === 'message.hide' || mutation.name === 'activity.removeMember';
}
