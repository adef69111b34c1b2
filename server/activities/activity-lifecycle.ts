import type { ActivitiesTable } from '../db/schema';
import { newRowId, type ActivityView, type ConflictStrategy, type CreateActivityBody, type EditableActivityFields, type Resolution } from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import { createdActivityView, findActivityView, listAudienceUserIds } from '../db/activities-store';
import { canEditActivity } from '../domain/activity-access';
import { resolveActivityEdit, type FieldChanges } from '../domain/conflict-resolution';
import { AppError } from '../http/app-error';
import { activityNotFound, loadForViewer, reread, writeChange, type ActivityContext } from './activity-context';
import { insertActivityWithOwner, insertTombstones, markActivityDeleted, updateActivityFields } from './activity-writes';

/** An activity's birth, its edits and its deletion. */

export interface ActivityEdit {
  changes: FieldChanges;
  /** The version the edit started from; none: the edit applies over whatever is there. */
  baseVersion: number | undefined;
  base: EditableActivityFields | undefined;
  strategy: ConflictStrategy | undefined;
  /** When the user made the edit (client clock): `newest-wins` compares it. */
  editedAt: string;
}

/** `id`: a client-made id (offline creates refer to it before the server has seen it). */
export async function createActivity(ctx: ActivityContext, viewer: Viewer, body: CreateActivityBody, options: { id?: string } = {}): Promise<ActivityView> {
  const id = options.id ?? newRowId();
  const done = await writeChange(ctx, async (trx, { seq, at }) => {
    const row: ActivitiesTable = {
      id,
      ownerId: viewer.id,
      title: body.title,
      description: body.description,
      location: body.location,
      startsAt: body.startsAt,
      endsAt: body.endsAt,
      capacity: body.capacity,
      visibility: body.visibility,
      memberCount: 1,
      likeCount: 0,
      checkinCount: 0,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
      version: 1,
      seq,
      // Public from birth: it enters everyone's sync at this position.
      publicSinceSeq: body.visibility === 'public' ? seq : 0,
    };
    // A taken id (deleted or not) inserts nothing, and the whole write rolls back.
    if (!(await insertActivityWithOwner(trx, row))) throw new AppError('conflict', 'An activity with this id already exists', { fields: { id: 'is taken' } });
    // Both the answer (as its organizer sees it) and the event (as anyone does).
    return createdActivityView(trx, row);
  });
  if (!done) throw activityNotFound();
  const { viewer: _viewer, ...activity } = done.result;
  await ctx.events.created(activity, done.stamp);
  return done.result;
}

/**
 * An edit under a conflict strategy (see domain/conflict-resolution.ts), settled against the row
 * as it is inside the write's transaction; the rules an edit must keep are checked on what the
 * strategy decided to store.
 */
export async function editActivity(
  ctx: ActivityContext,
  viewer: Viewer,
  id: string,
  edit: ActivityEdit,
): Promise<{ view: ActivityView | null; resolution: Resolution }> {
  const { activity: before, relation, facts } = await loadForViewer(ctx, viewer, id);
  if (!canEditActivity(facts, relation)) throw new AppError('forbidden', 'Only the organizer can edit this activity');
  let resolution: Resolution = 'applied';
  const done = await writeChange(ctx, async (trx, { seq, at }) => {
    const current = await trx.selectFrom('activities').selectAll().where('id', '=', id).executeTakeFirst();
    if (!current || current.deletedAt !== null) throw activityNotFound();
    const decision = resolveActivityEdit({
      strategy: edit.strategy,
      current: { ...current, capacity: current.capacity === null ? null : Number(current.capacity), version: Number(current.version) },
      baseVersion: edit.baseVersion,
      base: edit.base,
      changes: edit.changes,
      editedAt: edit.editedAt,
    });
    if (decision.kind === 'conflict') {
      throw new AppError('conflict', `Someone changed this activity since you loaded it (${decision.fields.join(', ')})`, {
        current: await reread(trx, id),
        fields: Object.fromEntries(decision.fields.map((field) => [field, 'was changed by someone else'])),
      });
    }
    resolution = decision.resolution;
    if (decision.kind === 'keep') return null;
    checkEditable(decision.fields, { ...current, memberCount: Number(current.memberCount) });
    const becomesPublic = decision.fields.visibility === 'public' && current.visibility === 'private';
    await updateActivityFields(trx, id, decision.fields, { seq, at, becomesPublic });
    const updated = await reread(trx, id);
    if (updated.visibility === 'private' && current.visibility === 'public') {
      // Everyone who is not involved just lost sight of it.
      await insertTombstones(trx, [{ seq, entity: 'activity', entityId: id, activityId: id, userId: null, version: updated.version }]);
    }
    return updated;
  });
  if (done) await ctx.events.updated(done.result, before.visibility, done.stamp);
  return { view: (await findActivityView(ctx.db, id, viewer.id)) ?? null, resolution };
}

/** The rules an edit must keep whatever its strategy: an end after the start, room for who is going. */
function checkEditable(fields: FieldChanges, current: { startsAt: string; endsAt: string | null; memberCount: number }): void {
  const startsAt = fields.startsAt ?? current.startsAt;
  const endsAt = fields.endsAt === undefined ? current.endsAt : fields.endsAt;
  if (endsAt !== null && Date.parse(endsAt) <= Date.parse(startsAt)) {
    throw new AppError('invalid_input', 'The end must be after the start', { fields: { endsAt: 'must be after the start' } });
  }
  if (fields.capacity !== undefined && fields.capacity !== null && fields.capacity < current.memberCount) {
    throw new AppError('invalid_input', `Capacity cannot be below the ${current.memberCount} people already going`, {
      fields: { capacity: `must be at least ${current.memberCount}` },
    });
  }
}

export async function deleteActivity(ctx: ActivityContext, viewer: Viewer, id: string): Promise<void> {
  const { activity, relation, facts } = await loadForViewer(ctx, viewer, id);
  if (!canEditActivity(facts, relation)) throw new AppError('forbidden', 'Only the organizer can delete this activity');
  const done = await writeChange(ctx, async (trx, { seq, at }) => {
    if (!(await markActivityDeleted(trx, id, seq, at))) return null;
    const deleted = await reread(trx, id);
    // A public activity's tombstone is for everyone; a private one's only for its audience.
    const audience = activity.visibility === 'public' ? [null] : await listAudienceUserIds(trx, id, activity.ownerId);
    // Its chat room goes from its members' devices.
    const members = await trx.selectFrom('activityMembers').select('userId').where('activityId', '=', id).execute();
    await insertTombstones(trx, [
      ...audience.map((userId) => ({ seq, entity: 'activity' as const, entityId: id, activityId: id, userId, version: deleted.version })),
      ...members.map(({ userId }) => ({ seq, entity: 'conversation' as const, entityId: id, activityId: id, userId, version: seq })),
    ]);
    return deleted;
  });
  if (done) await ctx.events.deleted(done.result, done.stamp);
}
