import { Checkin, Like, Member, type Change } from '../../protocol';
import { toActivity } from '../db/activities-store';
import type { Db } from '../db/connect';
import { KIND } from './sync-cursor';
import { perUserKind, type PerUserChange, type PerUserKindSpec } from './per-user-kind';
import { scopedKind, type SyncKind } from './sync-kind';
import { activityScope } from './sync-scopes';

/** The activity kinds of the feed: activities, and their members, likes and check-ins. */

export const activityKind = scopedKind({
  kind: KIND.activity,
  scope: activityScope,
  table: 'activities',
  alias: 'activity',
  keyedBy: 'id',
  selectVisible: (db, userId) =>
    db
      .selectFrom('activities as activity')
      .innerJoin('users as owner', 'owner.id', 'activity.ownerId')
      .selectAll('activity')
      .select('owner.displayName as ownerName')
      .where(activityScope.visibleTo(userId)),
  toChange: (row): Change => ({ entity: 'activity', op: 'upsert', id: row.id, version: Number(row.seq), data: toActivity(row) }),
});

type PerUserTable = 'activityMembers' | 'activityLikes' | 'activityCheckins';
type ActivityEntity = 'member' | 'like' | 'checkin';
type PerUserRow = { [E in ActivityEntity]: PerUserChange<E>['data'] & { seq: number } }[ActivityEntity];

/** `table`'s rows (as `row`) under activities `userId` may see; their changes pick the contract's fields (DATA_FIELDS). */
function visibleUnderActivity<T extends PerUserTable>(db: Db, userId: string, table: T) {
  return db
    .selectFrom(db.dynamic.table(table).as('row'))
    .innerJoin('activities as activity', 'activity.id', 'row.activityId')
    .selectAll('row')
    .where(activityScope.visibleTo(userId));
}

/** The fields each entity's change carries, in the contract's order. */
const DATA_FIELDS: Record<ActivityEntity, readonly string[]> = {
  member: Object.keys(Member.shape),
  like: Object.keys(Like.shape),
  checkin: Object.keys(Checkin.shape),
};

/**
 * A row each user has at most one of per activity. Its change's data is the contract's fields of
 * the row, picked by name: a column added to the table later never travels by accident, and the
 * fields keep the order every earlier release sent.
 */
function perUserOfActivity(
  spec: Pick<PerUserKindSpec<ActivityEntity, PerUserRow>, 'kind' | 'entity' | 'table' | 'alias' | 'selectVisible'>,
): SyncKind {
  const fields = DATA_FIELDS[spec.entity];
  const toData = (row: PerUserRow) => {
    const data: Record<string, unknown> = {};
    for (const field of fields) data[field] = (row as Record<string, unknown>)[field];
    return data as PerUserChange<ActivityEntity>['data'];
  };
  return perUserKind({ ...spec, scope: activityScope, scopeColumn: 'activity_id', scopeIdOf: (row) => row.activityId, toData });
}

export const memberKind = perUserOfActivity({
  kind: KIND.member,
  entity: 'member',
  table: 'activity_members',
  alias: 'member',
  // A member's change carries their display name.
  selectVisible: (db, userId) =>
    visibleUnderActivity(db, userId, 'activityMembers').innerJoin('users as person', 'person.id', 'row.userId').select('person.displayName'),
});

export const likeKind = perUserOfActivity({ kind: KIND.like, entity: 'like', table: 'activity_likes', alias: 'activity_like', selectVisible: (db, userId) => visibleUnderActivity(db, userId, 'activityLikes') });

export const checkinKind = perUserOfActivity({ kind: KIND.checkin, entity: 'checkin', table: 'activity_checkins', alias: 'checkin', selectVisible: (db, userId) => visibleUnderActivity(db, userId, 'activityCheckins') });
