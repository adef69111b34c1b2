import { pairKey, type Activity, type ActivityView } from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import { findActivityView, isRemovedFrom } from '../db/activities-store';
import type { TombstonesTable } from '../db/schema';
import { canEditActivity, canJoinActivity } from '../domain/activity-access';
import { AppError } from '../http/app-error';
import { loadForViewer, reread, requireVisible, writeChange, type ActivityContext } from './activity-context';
import {
  bumpActivityCounts,
  deleteInvite,
  deleteMember,
  insertCheckin,
  insertInvite,
  insertMember,
  insertTombstones,
  liftRemoval,
  updateCheckinTime,
} from './activity-writes';

/** Who takes part: joining, leaving, invitations, and members checking in. */

export async function joinActivity(ctx: ActivityContext, viewer: Viewer, id: string): Promise<ActivityView> {
  const { relation, facts } = await loadForViewer(ctx, viewer, id);
  if (relation.isMember) return requireVisible(ctx, viewer, id);
  // Removed by a host: they come back only when the organizer invites them (which lifts the removal).
  if (await isRemovedFrom(ctx.db, id, viewer.id)) throw new AppError('removed_from_activity', 'You were removed from this activity; the organizer can invite you back');
  if (!canJoinActivity(facts, relation)) throw new AppError('forbidden', 'This activity is by invitation only');
  const done = await writeChange(ctx, async (trx, { seq, at }) => {
    if (!(await insertMember(trx, id, viewer.id, seq, at))) return null;
    if (!(await bumpActivityCounts(trx, id, { members: 1 }, { seq, at, enforceCapacity: true }))) {
      throw new AppError('capacity_full', 'This activity is full');
    }
    // An invitation is used up by joining: whoever leaves a private activity needs a new one.
    await deleteInvite(trx, id, viewer.id);
    return reread(trx, id);
  });
  if (done) await ctx.events.membershipChanged('joined', done.result, viewer, done.stamp);
  return requireVisible(ctx, viewer, id);
}

/** `view` is null when leaving took the activity out of the leaver's sight (a private one). */
export async function leaveActivity(ctx: ActivityContext, viewer: Viewer, id: string): Promise<{ view: ActivityView | null; activity: Activity }> {
  const { activity, relation } = await loadForViewer(ctx, viewer, id);
  if (relation.isOwner) throw new AppError('owner_cannot_leave', 'The organizer cannot leave; delete the activity instead');
  const done = await writeChange(ctx, async (trx, { seq, at }) => {
    if (!(await deleteMember(trx, id, viewer.id))) return null;
    await bumpActivityCounts(trx, id, { members: -1 }, { seq, at });
    const left = await reread(trx, id);
    const tombstones: TombstonesTable[] = [
      { seq, entity: 'member', entityId: pairKey(id, viewer.id), activityId: id, userId: null, version: seq },
      // The room is for members: its conversation leaves the leaver's devices.
      { seq, entity: 'conversation', entityId: id, activityId: id, userId: viewer.id, version: seq },
    ];
    if (activity.visibility === 'private' && !relation.isInvited) {
      // The leaver may no longer see this private activity: it leaves their devices too.
      tombstones.push({ seq, entity: 'activity', entityId: id, activityId: id, userId: viewer.id, version: left.version });
    }
    await insertTombstones(trx, tombstones);
    return left;
  });
  if (done) await ctx.events.membershipChanged('left', done.result, viewer, done.stamp);
  const view = (await findActivityView(ctx.db, id, viewer.id)) ?? null;
  return { view, activity: done?.result ?? (await reread(ctx.db, id)) };
}

export async function inviteToActivity(ctx: ActivityContext, viewer: Viewer, id: string, userId: string): Promise<void> {
  const { activity, relation, facts } = await loadForViewer(ctx, viewer, id);
  if (!canEditActivity(facts, relation)) throw new AppError('forbidden', 'Only the organizer can invite people');
  const invitee = await ctx.db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  if (!invitee) throw new AppError('invalid_input', 'No such user', { fields: { userId: 'is not a Rally user' } });
  const done = await writeChange(ctx, async (trx, stamp) => {
    const invitedNow = await insertInvite(trx, id, userId, viewer.id, stamp.seq, stamp.at);
    // Inviting back someone a host removed is what lets them join again.
    const lifted = await liftRemoval(trx, id, userId, stamp);
    return invitedNow || lifted ? { lifted } : null;
  });
  if (done) {
    const { deletedAt: _deletedAt, ...plain } = activity;
    await ctx.events.invited(plain, userId, done.stamp);
    if (done.result.lifted) await ctx.events.ownChanged(userId, done.stamp);
  }
}

/** A member says they arrived. `at` is when (a client's offline time, or now). */
export async function checkInToActivity(
  ctx: ActivityContext,
  viewer: Viewer,
  id: string,
  options: { at?: string | undefined; replaceTime?: boolean | undefined } = {},
): Promise<{ view: ActivityView; changed: boolean }> {
  const { relation } = await loadForViewer(ctx, viewer, id);
  if (!relation.isMember && !relation.isOwner) throw new AppError('forbidden', 'Join the activity before checking in');
  let checkedInAt = '';
  const done = await writeChange(ctx, async (trx, { seq, at }) => {
    const when = options.at ?? at;
    checkedInAt = when;
    if (await insertCheckin(trx, id, viewer.id, seq, when)) return reread(trx, id);
    if (options.replaceTime && (await updateCheckinTime(trx, id, viewer.id, seq, when))) return reread(trx, id);
    return null;
  });
  // The attendance is for the room: its members hear it live; others see the count on their next pull.
  if (done) await ctx.events.checkedIn(done.result, viewer, { seq: done.stamp.seq, at: checkedInAt });
  return { view: await requireVisible(ctx, viewer, id), changed: done !== null };
}
