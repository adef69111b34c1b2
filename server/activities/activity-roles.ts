import { pairKey, type ActivityView, type Member } from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import { findMemberRole } from '../db/activities-store';
import type { TombstonesTable } from '../db/schema';
import { decideRoleWrite, type RoleWrite } from '../domain/activity-roles';
import { AppError } from '../http/app-error';
import { loadForViewer, reread, requireVisible, writeChange, type ActivityContext, type Trx } from './activity-context';
import { bumpActivityCounts, deleteInvite, deleteMember, insertTombstones, recordRemoval, updateMemberRole } from './activity-writes';

/** Group roles: the organizer makes co-hosts; hosts remove members. */

/** Both roles read in the write's transaction, after its change position was taken (under its lock). */
async function decideInTransaction(trx: Trx, activityId: string, actorId: string, targetId: string, write: RoleWrite): Promise<'apply' | 'unchanged'> {
  const [actor, target] = await Promise.all([findMemberRole(trx, activityId, actorId), findMemberRole(trx, activityId, targetId)]);
  const decision = decideRoleWrite(write, { actor, target });
  if (decision.outcome === 'refuse') throw new AppError(decision.code, decision.message);
  return decision.outcome;
}

async function memberOf(trx: Trx, activityId: string, userId: string): Promise<Member> {
  const row = await trx
    .selectFrom('activityMembers as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select(['m.activityId', 'm.userId', 'm.role', 'm.joinedAt', 'u.displayName'])
    .where('m.activityId', '=', activityId)
    .where('m.userId', '=', userId)
    .executeTakeFirstOrThrow();
  return { ...row };
}

export async function setMemberRole(ctx: ActivityContext, viewer: Viewer, id: string, userId: string, role: 'cohost' | 'member'): Promise<{ view: ActivityView; changed: boolean }> {
  const { activity } = await loadForViewer(ctx, viewer, id);
  const done = await writeChange(ctx, async (trx, { seq }) => {
    if ((await decideInTransaction(trx, id, viewer.id, userId, { kind: 'set-role', role })) === 'unchanged') return null;
    if (!(await updateMemberRole(trx, id, userId, role, seq))) return null;
    return memberOf(trx, id, userId);
  });
  if (done) {
    const { deletedAt: _deletedAt, ...plain } = activity;
    await ctx.events.memberChanged(plain, done.result, done.stamp);
  }
  return { view: await requireVisible(ctx, viewer, id), changed: done !== null };
}

/**
 * A host takes a member out: the membership, their invitation (so a private activity leaves their
 * sight) and the room go, as when they leave, and a removal is recorded, which keeps them from
 * joining again on their own (until the organizer invites them) and tells their devices why.
 */
export async function removeMember(ctx: ActivityContext, viewer: Viewer, id: string, userId: string): Promise<{ view: ActivityView; changed: boolean }> {
  const { activity } = await loadForViewer(ctx, viewer, id);
  const done = await writeChange(ctx, async (trx, stamp) => {
    const { seq } = stamp;
    if ((await decideInTransaction(trx, id, viewer.id, userId, { kind: 'remove' })) === 'unchanged') return null;
    const removed = await trx.selectFrom('users').select(['id', 'displayName']).where('id', '=', userId).executeTakeFirstOrThrow();
    if (!(await deleteMember(trx, id, userId))) return null;
    await bumpActivityCounts(trx, id, { members: -1 }, stamp);
    await deleteInvite(trx, id, userId);
    const after = await reread(trx, id);
    const tombstones: TombstonesTable[] = [
      { seq, entity: 'member', entityId: pairKey(id, userId), activityId: id, userId: null, version: seq },
      { seq, entity: 'conversation', entityId: id, activityId: id, userId, version: seq },
    ];
    if (activity.visibility === 'private') {
      tombstones.push({ seq, entity: 'activity', entityId: id, activityId: id, userId, version: after.version });
    }
    await insertTombstones(trx, tombstones);
    await recordRemoval(trx, { activityId: id, userId, removedBy: viewer.id, title: after.title }, stamp);
    // The activity's notifications (its announcements' text) are its private data too: a new
    // device of theirs is not sent them, and their devices drop theirs with the removal.
    await trx.deleteFrom('notifications').where('userId', '=', userId).where('activityId', '=', id).execute();
    return { activity: after, removed };
  });
  if (done) await ctx.events.memberRemoved(done.result.activity, done.result.removed, done.stamp);
  return { view: await requireVisible(ctx, viewer, id), changed: done !== null };
}
