import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  pairKey,
  type Activity,
  type ActivityView,
  type ConflictStrategy,
  type CreateActivityBody,
  type EditableActivityFields,
  type Resolution,
  type UpdateActivityBody,
} from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import { findActivity, findActivityView, findRelation, listAudienceUserIds } from '../db/activities-store';
import { takeNextSeq } from '../db/change-sequence';
import type { Db } from '../db/connect';
import type { Database, TombstonesTable } from '../db/schema';
import { canEditActivity, canJoinActivity, canViewActivity } from '../domain/activity-access';
import { resolveActivityEdit, type FieldChanges } from '../domain/conflict-resolution';
import { AppError, notFound } from '../http/app-error';
import type { ActivityEvents, ChangeStamp } from './activity-events';
import {
  bumpActivityCounts,
  deleteInvite,
  deleteLike,
  deleteMember,
  insertActivityWithOwner,
  insertCheckin,
  insertInvite,
  insertLike,
  insertMember,
  insertTombstones,
  markActivityDeleted,
  updateActivityFields,
  updateCheckinTime,
} from './activity-writes';

export interface ActivityService {
  /** `id`: a client-made id (offline creates refer to it before the server has seen it). */
  create(viewer: Viewer, body: CreateActivityBody, options?: { id?: string }): Promise<ActivityView>;
  /** An edit under a conflict strategy (the mutation path); see domain/conflict-resolution.ts. */
  edit(viewer: Viewer, id: string, edit: ActivityEdit): Promise<{ view: ActivityView | null; resolution: Resolution }>;
  update(viewer: Viewer, id: string, body: UpdateActivityBody): Promise<ActivityView>;
  remove(viewer: Viewer, id: string): Promise<void>;
  join(viewer: Viewer, id: string): Promise<ActivityView>;
  leave(viewer: Viewer, id: string): Promise<ActivityView>;
  like(viewer: Viewer, id: string): Promise<ActivityView>;
  unlike(viewer: Viewer, id: string): Promise<ActivityView>;
  invite(viewer: Viewer, id: string, userId: string): Promise<void>;
  /** A member says they arrived. `at` is when (a client's offline time, or now). */
  checkin(viewer: Viewer, id: string, options?: { at?: string; replaceTime?: boolean }): Promise<{ view: ActivityView; changed: boolean }>;
  /** The activity if the viewer may see it, else a 404 (which does not reveal that it exists). */
  requireVisible(viewer: Viewer, id: string): Promise<ActivityView>;
}

type Trx = Kysely<Database>;

export interface ActivityEdit {
  changes: FieldChanges;
  baseVersion: number;
  base: EditableActivityFields | undefined;
  strategy: ConflictStrategy | undefined;
  editedAt: string;
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

export function createActivityService(deps: { db: Db; events: ActivityEvents; now: () => Date }): ActivityService {
  const { db, events, now } = deps;
  const activityNotFound = () => notFound('Activity');

  async function requireVisible(viewer: Viewer, id: string): Promise<ActivityView> {
    const view = await findActivityView(db, id, viewer.id);
    if (!view) throw activityNotFound();
    return view;
  }

  /** Loads the activity and the viewer's relation, refusing what they may not see. */
  async function loadForViewer(viewer: Viewer, id: string) {
    const activity = await findActivity(db, id);
    if (!activity) throw activityNotFound();
    const relation = await findRelation(db, id, activity.ownerId, viewer.id);
    const facts = { visibility: activity.visibility, deleted: activity.deletedAt !== null };
    if (!canViewActivity(facts, relation)) throw activityNotFound();
    return { activity, relation, facts };
  }

  /** The activity as the wire sees it (no deletion mark), read inside the caller's transaction. */
  async function reread(trx: Trx, id: string): Promise<Activity> {
    const found = await findActivity(trx, id);
    if (!found) throw activityNotFound();
    const { deletedAt: _deletedAt, ...activity } = found;
    return activity;
  }

  /**
   * Runs a write in a transaction that first takes its change-sequence position. `work` returns
   * null when it turned out to change nothing (a repeated like, say); no event follows then.
   */
  async function write<T>(work: (trx: Trx, stamp: ChangeStamp) => Promise<T | null>): Promise<{ result: T; stamp: ChangeStamp } | null> {
    const run = async (trx: Trx) => {
      const stamp = { seq: await takeNextSeq(trx), at: now().toISOString() };
      const result = await work(trx, stamp);
      return result === null ? null : { result, stamp };
    };
    // Inside a mutation's transaction the service runs on it (see mutations/): one commit for the
    // change and the record that it was applied.
    return db.isTransaction ? run(db) : db.transaction().execute(run);
  }

  return {
    requireVisible,

    async create(viewer, body, options = {}) {
      const id = options.id ?? randomUUID();
      const done = await write(async (trx, { seq, at }) => {
        if (await trx.selectFrom('activities').select('id').where('id', '=', id).executeTakeFirst()) {
          throw new AppError('conflict', 'An activity with this id already exists', { fields: { id: 'is taken' } });
        }
        await insertActivityWithOwner(
          trx,
          {
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
          },
          seq,
        );
        return reread(trx, id);
      });
      if (done) await events.created(done.result, done.stamp);
      return requireVisible(viewer, id);
    },

    async edit(viewer, id, edit) {
      const { activity: before, relation, facts } = await loadForViewer(viewer, id);
      if (!canEditActivity(facts, relation)) throw new AppError('forbidden', 'Only the organizer can edit this activity');
      let resolution: Resolution = 'applied';
      const done = await write(async (trx, { seq, at }) => {
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
          const latest = await reread(trx, id);
          throw new AppError('conflict', `Someone changed this activity since you loaded it (${decision.fields.join(', ')})`, {
            current: latest,
            fields: Object.fromEntries(decision.fields.map((field) => [field, 'was changed by someone else'])),
          });
        }
        resolution = decision.resolution;
        if (decision.kind === 'keep') return null;
        checkEditable(decision.fields, { ...current, memberCount: Number(current.memberCount) });
        const becomesPublic = decision.fields.visibility === 'public' && current.visibility === 'private';
        await updateActivityFields(trx, id, decision.fields, { baseVersion: undefined, seq, at, becomesPublic });
        const updated = await reread(trx, id);
        if (updated.visibility === 'private' && current.visibility === 'public') {
          await insertTombstones(trx, [{ seq, entity: 'activity', entityId: id, activityId: id, userId: null, version: updated.version }]);
        }
        return updated;
      });
      if (done) await events.updated(done.result, before.visibility, done.stamp);
      return { view: await findActivityView(db, id, viewer.id) ?? null, resolution };
    },

    async update(viewer, id, body) {
      const { activity: before, relation, facts } = await loadForViewer(viewer, id);
      if (!canEditActivity(facts, relation)) throw new AppError('forbidden', 'Only the organizer can edit this activity');
      const { baseVersion, ...fields } = body;
      checkEditable(fields, before);
      const done = await write(async (trx, { seq, at }) => {
        const becomesPublic = fields.visibility === 'public' && before.visibility === 'private';
        if (!(await updateActivityFields(trx, id, fields, { baseVersion, seq, at, becomesPublic }))) {
          const current = await findActivity(trx, id);
          if (!current || current.deletedAt !== null) throw activityNotFound();
          const { deletedAt: _deletedAt, ...currentActivity } = current;
          throw new AppError('conflict', 'Someone changed this activity since you loaded it', { current: currentActivity });
        }
        const updated = await reread(trx, id);
        if (updated.visibility === 'private' && before.visibility === 'public') {
          // Everyone who is not involved just lost sight of it.
          await insertTombstones(trx, [{ seq, entity: 'activity', entityId: id, activityId: id, userId: null, version: updated.version }]);
        }
        return updated;
      });
      if (done) await events.updated(done.result, before.visibility, done.stamp);
      return requireVisible(viewer, id);
    },

    async remove(viewer, id) {
      const { activity, relation, facts } = await loadForViewer(viewer, id);
      if (!canEditActivity(facts, relation)) throw new AppError('forbidden', 'Only the organizer can delete this activity');
      const done = await write(async (trx, { seq, at }) => {
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
      if (done) await events.deleted(done.result, done.stamp);
    },

    async join(viewer, id) {
      const { relation, facts } = await loadForViewer(viewer, id);
      if (relation.isMember) return requireVisible(viewer, id);
      if (!canJoinActivity(facts, relation)) throw new AppError('forbidden', 'This activity is by invitation only');
      const done = await write(async (trx, { seq, at }) => {
        if (!(await insertMember(trx, id, viewer.id, seq, at))) return null;
        if (!(await bumpActivityCounts(trx, id, { members: 1 }, { seq, at, enforceCapacity: true }))) {
          throw new AppError('capacity_full', 'This activity is full');
        }
        // An invitation is used up by joining: whoever leaves a private activity needs a new one.
        await deleteInvite(trx, id, viewer.id);
        return reread(trx, id);
      });
      if (done) await events.membershipChanged('joined', done.result, viewer, done.stamp);
      return requireVisible(viewer, id);
    },

    async leave(viewer, id) {
      const { activity, relation } = await loadForViewer(viewer, id);
      if (relation.isOwner) throw new AppError('owner_cannot_leave', 'The organizer cannot leave; delete the activity instead');
      const done = await write(async (trx, { seq, at }) => {
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
      if (done) await events.membershipChanged('left', done.result, viewer, done.stamp);
      const view = await findActivityView(db, id, viewer.id);
      if (view) return view;
      const current = done?.result ?? (await reread(db, id));
      return { ...current, viewer: { liked: false, joined: false, checkedIn: false, invited: false, isOwner: false } };
    },

    async like(viewer, id) {
      await loadForViewer(viewer, id);
      const done = await write(async (trx, { seq, at }) => {
        if (!(await insertLike(trx, id, viewer.id, seq, at))) return null;
        await bumpActivityCounts(trx, id, { likes: 1 }, { seq, at });
        return reread(trx, id);
      });
      if (done) await events.likeChanged('added', done.result, viewer, done.stamp);
      return requireVisible(viewer, id);
    },

    async unlike(viewer, id) {
      await loadForViewer(viewer, id);
      const done = await write(async (trx, { seq, at }) => {
        if (!(await deleteLike(trx, id, viewer.id))) return null;
        await bumpActivityCounts(trx, id, { likes: -1 }, { seq, at });
        await insertTombstones(trx, [{ seq, entity: 'like', entityId: pairKey(id, viewer.id), activityId: id, userId: null, version: seq }]);
        return reread(trx, id);
      });
      if (done) await events.likeChanged('removed', done.result, viewer, done.stamp);
      return requireVisible(viewer, id);
    },

    async checkin(viewer, id, options = {}) {
      const { relation } = await loadForViewer(viewer, id);
      if (!relation.isMember && !relation.isOwner) throw new AppError('forbidden', 'Join the activity before checking in');
      let checkedInAt = '';
      const done = await write(async (trx, { seq, at }) => {
        const when = options.at ?? at;
        checkedInAt = when;
        if (await insertCheckin(trx, id, viewer.id, seq, when)) return reread(trx, id);
        if (options.replaceTime && (await updateCheckinTime(trx, id, viewer.id, seq, when))) return reread(trx, id);
        return null;
      });
      // The attendance is for the room: its members hear it live; others see the count on their next pull.
      if (done) await events.checkedIn(done.result, viewer, { seq: done.stamp.seq, at: checkedInAt });
      return { view: await requireVisible(viewer, id), changed: done !== null };
    },

    async invite(viewer, id, userId) {
      const { activity, relation, facts } = await loadForViewer(viewer, id);
      if (!canEditActivity(facts, relation)) throw new AppError('forbidden', 'Only the organizer can invite people');
      const invitee = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
      if (!invitee) throw new AppError('invalid_input', 'No such user', { fields: { userId: 'is not a Rally user' } });
      const done = await write(async (trx, { seq, at }) => ((await insertInvite(trx, id, userId, viewer.id, seq, at)) ? true : null));
      if (done) {
        const { deletedAt: _deletedAt, ...plain } = activity;
        await events.invited(plain, userId, done.stamp);
      }
    },
  };
}
