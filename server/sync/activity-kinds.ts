import type { Change } from '../../protocol';
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

/** Every column of `table`'s rows (as `row`) under activities `userId` may see. */
function visibleUnderActivity<T extends PerUserTable>(db: Db, userId: string, table: T) {
  return db
    .selectFrom(db.dynamic.table(table).as('row'))
    .innerJoin('activities as activity', 'activity.id', 'row.activityId')
    .selectAll('row')
    .where(activityScope.visibleTo(userId));
}

/** A row each user has at most one of per activity: its change's data is the row without its position. */
function perUserOfActivity(
  spec: Pick<PerUserKindSpec<ActivityEntity, PerUserRow>, 'kind' | 'entity' | 'table' | 'alias' | 'selectVisible'>,
): SyncKind {
  // The rest of a union is not a union of rests, hence the cast: each row is its data and `seq`.
  const toData = ({ seq: _seq, ...data }: PerUserRow) => data as PerUserChange<ActivityEntity>['data'];
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
