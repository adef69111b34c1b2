import { randomUUID } from 'node:crypto';
import type { Transaction as KyselyTransaction } from 'kysely';
import type { Activity, ActivityView, CreateActivityBody, UpdateActivityBody } from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import { findActivity, findActivityView, findRelation } from '../db/activities-store';
import type { Db } from '../db/connect';
import type { ActivitiesTable, Database } from '../db/schema';
import { canEditActivity, canJoinActivity, canViewActivity } from '../domain/activity-access';
import { AppError, notFound } from '../http/app-error';
import type { ActivityEvents } from './activity-events';

type Transaction = KyselyTransaction<Database>;

export interface ActivityService {
  create(viewer: Viewer, body: CreateActivityBody): Promise<ActivityView>;
  update(viewer: Viewer, id: string, body: UpdateActivityBody): Promise<ActivityView>;
  remove(viewer: Viewer, id: string): Promise<void>;
  join(viewer: Viewer, id: string): Promise<ActivityView>;
  leave(viewer: Viewer, id: string): Promise<ActivityView>;
  like(viewer: Viewer, id: string): Promise<ActivityView>;
  unlike(viewer: Viewer, id: string): Promise<ActivityView>;
  invite(viewer: Viewer, id: string, userId: string): Promise<void>;
  /** The activity if the viewer may see it, else a 404 (which does not reveal that it exists). */
  requireVisible(viewer: Viewer, id: string): Promise<ActivityView>;
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

  async function findActivityOrThrow(id: string): Promise<Activity> {
    return reread(db, id);
  }

  /** The activity as the wire sees it (no deletion mark), read inside the caller's transaction. */
  async function reread(trx: Transaction | Db, id: string): Promise<Activity> {
    const found = await findActivity(trx, id);
    if (!found) throw activityNotFound();
    const { deletedAt: _deletedAt, ...activity } = found;
    return activity;
  }

  /** Bumps counts and version in one statement, so concurrent writers never lose an increment. */
  async function bumpCounts(trx: Transaction, id: string, change: { members?: 1 | -1; likes?: 1 | -1 }, enforceCapacity = false) {
    let query = trx
      .updateTable('activities')
      .set((eb) => ({
        memberCount: eb('memberCount', '+', change.members ?? 0),
        likeCount: eb('likeCount', '+', change.likes ?? 0),
        version: eb('version', '+', 1),
        updatedAt: now().toISOString(),
      }))
      .where('id', '=', id)
      .where('deletedAt', 'is', null);
    if (enforceCapacity) {
      query = query.where((eb) => eb.or([eb('capacity', 'is', null), eb('memberCount', '<', eb.ref('capacity'))]));
    }
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  return {
    requireVisible,

    async create(viewer, body) {
      const at = now().toISOString();
      const row: ActivitiesTable = {
        id: randomUUID(),
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
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
        version: 1,
      };
      const activity = await db.transaction().execute(async (trx) => {
        await trx.insertInto('activities').values(row).execute();
        await trx.insertInto('activityMembers').values({ activityId: row.id, userId: viewer.id, role: 'owner', joinedAt: at }).execute();
        return reread(trx, row.id);
      });
      await events.created(activity);
      return requireVisible(viewer, row.id);
    },

    async update(viewer, id, body) {
      const { activity: before, relation, facts } = await loadForViewer(viewer, id);
      if (!canEditActivity(facts, relation)) throw new AppError('forbidden', 'Only the organizer can edit this activity');
      const { baseVersion, ...fields } = body;
      const startsAt = fields.startsAt ?? before.startsAt;
      const endsAt = fields.endsAt === undefined ? before.endsAt : fields.endsAt;
      if (endsAt !== null && Date.parse(endsAt) <= Date.parse(startsAt)) {
        throw new AppError('invalid_input', 'The end must be after the start', { fields: { endsAt: 'must be after the start' } });
      }
      if (fields.capacity !== undefined && fields.capacity !== null && fields.capacity < before.memberCount) {
        throw new AppError('invalid_input', `Capacity cannot be below the ${before.memberCount} people already going`, {
          fields: { capacity: `must be at least ${before.memberCount}` },
        });
      }
      const updated = await db.transaction().execute(async (trx) => {
        let query = trx
          .updateTable('activities')
          .set((eb) => ({ ...fields, version: eb('version', '+', 1), updatedAt: now().toISOString() }))
          .where('id', '=', id)
          .where('deletedAt', 'is', null);
        if (baseVersion !== undefined) query = query.where('version', '=', baseVersion);
        const result = await query.executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) {
          const current = await findActivity(trx, id);
          if (!current || current.deletedAt !== null) throw activityNotFound();
          const { deletedAt: _deletedAt, ...currentActivity } = current;
          throw new AppError('conflict', 'Someone changed this activity since you loaded it', { current: currentActivity });
        }
        return reread(trx, id);
      });
      await events.updated(updated, before.visibility);
      return requireVisible(viewer, id);
    },

    async remove(viewer, id) {
      const { relation, facts } = await loadForViewer(viewer, id);
      if (!canEditActivity(facts, relation)) throw new AppError('forbidden', 'Only the organizer can delete this activity');
      const deleted = await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('activities')
          .set((eb) => ({ deletedAt: now().toISOString(), version: eb('version', '+', 1), updatedAt: now().toISOString() }))
          .where('id', '=', id)
          .where('deletedAt', 'is', null)
          .execute();
        return reread(trx, id);
      });
      await events.deleted(deleted);
    },

    async join(viewer, id) {
      const { relation, facts } = await loadForViewer(viewer, id);
      if (relation.isMember) return requireVisible(viewer, id);
      if (!canJoinActivity(facts, relation)) throw new AppError('forbidden', 'This activity is by invitation only');
      const joined = await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('activityMembers')
          .values({ activityId: id, userId: viewer.id, role: 'member', joinedAt: now().toISOString() })
          .onConflict((oc) => oc.columns(['activityId', 'userId']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) return null;
        if (!(await bumpCounts(trx, id, { members: 1 }, true))) {
          throw new AppError('capacity_full', 'This activity is full');
        }
        return reread(trx, id);
      });
      if (joined) await events.membershipChanged('joined', joined, viewer);
      return requireVisible(viewer, id);
    },

    async leave(viewer, id) {
      const { relation } = await loadForViewer(viewer, id);
      if (relation.isOwner) throw new AppError('owner_cannot_leave', 'The organizer cannot leave; delete the activity instead');
      const left = await db.transaction().execute(async (trx) => {
        const removed = await trx
          .deleteFrom('activityMembers')
          .where('activityId', '=', id)
          .where('userId', '=', viewer.id)
          .where('role', '=', 'member')
          .executeTakeFirst();
        if (Number(removed.numDeletedRows) !== 1) return null;
        await bumpCounts(trx, id, { members: -1 });
        return reread(trx, id);
      });
      if (left) await events.membershipChanged('left', left, viewer);
      // After leaving a private activity without an invitation, the viewer may no longer see it.
      const view = await findActivityView(db, id, viewer.id);
      if (view) return view;
      const activity = left ?? (await findActivityOrThrow(id));
      return { ...activity, viewer: { liked: false, joined: false, invited: false, isOwner: false } };
    },

    async like(viewer, id) {
      await loadForViewer(viewer, id);
      const liked = await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('activityLikes')
          .values({ activityId: id, userId: viewer.id, createdAt: now().toISOString() })
          .onConflict((oc) => oc.columns(['activityId', 'userId']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) return null;
        await bumpCounts(trx, id, { likes: 1 });
        return reread(trx, id);
      });
      if (liked) await events.likeChanged('added', liked, viewer);
      return requireVisible(viewer, id);
    },

    async unlike(viewer, id) {
      await loadForViewer(viewer, id);
      const unliked = await db.transaction().execute(async (trx) => {
        const removed = await trx.deleteFrom('activityLikes').where('activityId', '=', id).where('userId', '=', viewer.id).executeTakeFirst();
        if (Number(removed.numDeletedRows) !== 1) return null;
        await bumpCounts(trx, id, { likes: -1 });
        return reread(trx, id);
      });
      if (unliked) await events.likeChanged('removed', unliked, viewer);
      return requireVisible(viewer, id);
    },

    async invite(viewer, id, userId) {
      const { activity, relation, facts } = await loadForViewer(viewer, id);
      if (!canEditActivity(facts, relation)) throw new AppError('forbidden', 'Only the organizer can invite people');
      const invitee = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
      if (!invitee) throw new AppError('invalid_input', 'No such user', { fields: { userId: 'is not a Rally user' } });
      const inserted = await db
        .insertInto('activityInvites')
        .values({ activityId: id, userId, invitedBy: viewer.id, createdAt: now().toISOString() })
        .onConflict((oc) => oc.columns(['activityId', 'userId']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) {
        const { deletedAt: _deletedAt, ...plain } = activity;
        await events.invited(plain, userId);
      }
    },
  };
}
