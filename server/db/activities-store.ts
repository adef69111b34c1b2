import type { ExpressionBuilder, Selectable } from 'kysely';
import type { Activity, ActivityScope, ActivityView, Member, ViewerState } from '../../protocol';
import type { ActivityRelation } from '../domain/activity-access';
import type { Db } from './connect';
import { preparedQuery } from './prepared-query';
import { findUserById } from './users-store';
import type { ActivitiesTable, Database } from './schema';

type ActivityRow = Selectable<ActivitiesTable> & { ownerName: string };
type ActivityViewRow = ActivityRow & { liked: unknown; joined: unknown; invited: unknown; checkedIn: unknown };
type Eb = ExpressionBuilder<Database & { a: ActivitiesTable }, 'a'>;

export function toActivity(row: ActivityRow): Activity {
  return activityOf(row, row.ownerName);
}

function activityOf(row: Selectable<ActivitiesTable>, ownerName: string): Activity {
  return {
    id: row.id,
    ownerId: row.ownerId,
    ownerName,
    title: row.title,
    description: row.description,
    location: row.location,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    capacity: row.capacity === null ? null : Number(row.capacity),
    visibility: row.visibility,
    memberCount: Number(row.memberCount),
    likeCount: Number(row.likeCount),
    checkinCount: Number(row.checkinCount),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: Number(row.version),
  };
}

function toActivityView(row: ActivityViewRow, viewerId: string): ActivityView {
  // SQLite answers EXISTS with 0/1, Postgres with a boolean.
  return withViewer(toActivity(row), {
    liked: Boolean(row.liked),
    joined: Boolean(row.joined),
    checkedIn: Boolean(row.checkedIn),
    invited: Boolean(row.invited),
    isOwner: row.ownerId === viewerId,
  });
}

/** `activity` made a view by adding `viewer` (no copy: every activity answer makes one). */
function withViewer(activity: Activity, viewer: ViewerState): ActivityView {
  const view = activity as ActivityView;
  view.viewer = viewer;
  return view;
}

/**
 * The view of an activity its organizer has just created, made from the row as inserted: what
 * `findActivityView` would read back in the same transaction (the organizer is its one member, no
 * one has liked, invited or checked in yet), without that query's joins and four EXISTS. The owner's
 * name is read, not taken from the access token, which may predate a rename.
 */
export async function createdActivityView(db: Db, row: Selectable<ActivitiesTable>): Promise<ActivityView> {
  const owner = await findUserById(db, row.ownerId);
  if (!owner) throw new Error(`The organizer ${row.ownerId} of a new activity does not exist`);
  return withViewer(activityOf(row, owner.displayName), { liked: false, joined: true, checkedIn: false, invited: false, isOwner: true });
}

function relationExists(eb: Eb, table: 'activityMembers' | 'activityInvites' | 'activityLikes' | 'activityCheckins', viewerId: string) {
  return eb.exists(
    eb.selectFrom(table).select(`${table}.userId`).whereRef(`${table}.activityId`, '=', 'a.id').where(`${table}.userId`, '=', viewerId),
  );
}

function selectActivityViews(db: Db, viewerId: string) {
  return db
    .selectFrom('activities as a')
    .innerJoin('users as u', 'u.id', 'a.ownerId')
    .selectAll('a')
    .select('u.displayName as ownerName')
    .select((eb) => [
      relationExists(eb, 'activityLikes', viewerId).as('liked'),
      relationExists(eb, 'activityMembers', viewerId).as('joined'),
      relationExists(eb, 'activityInvites', viewerId).as('invited'),
      relationExists(eb, 'activityCheckins', viewerId).as('checkedIn'),
    ]);
}

/** What the viewer may see: public activities, and private ones they own, joined or were invited to. */
function visibleTo(eb: Eb, viewerId: string) {
  return eb.and([
    eb('a.deletedAt', 'is', null),
    eb.or([
      eb('a.visibility', '=', 'public'),
      eb('a.ownerId', '=', viewerId),
      relationExists(eb, 'activityMembers', viewerId),
      relationExists(eb, 'activityInvites', viewerId),
    ]),
  ]);
}

export async function findActivityView(db: Db, id: string, viewerId: string): Promise<ActivityView | undefined> {
  const [row] = (await findActivityViewQuery(db, { id, viewerId })).rows;
  return row ? toActivityView(row as ActivityViewRow, viewerId) : undefined;
}

// Every activity command answers with it: built once (see preparedQuery).
const findActivityViewQuery = preparedQuery<'id' | 'viewerId'>((db, param) =>
  selectActivityViews(db, param('viewerId'))
    .where('a.id', '=', param('id'))
    .where((eb) => visibleTo(eb, param('viewerId'))),
);

export interface ActivityPosition {
  createdAt: string;
  id: string;
}

export async function listActivityViews(
  db: Db,
  viewerId: string,
  options: { scope: ActivityScope; userId?: string | undefined; limit: number; after?: ActivityPosition | undefined },
): Promise<{ items: ActivityView[]; next: ActivityPosition | null }> {
  let query = selectActivityViews(db, viewerId).where((eb) => visibleTo(eb, viewerId));
  if (options.scope === 'mine') {
    query = query.where((eb) => eb.or([eb('a.ownerId', '=', viewerId), relationExists(eb, 'activityMembers', viewerId)]));
  } else if (options.scope === 'owned-by' && options.userId) {
    query = query.where('a.ownerId', '=', options.userId);
  }
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('a.createdAt', '<', after.createdAt), eb.and([eb('a.createdAt', '=', after.createdAt), eb('a.id', '<', after.id)])]),
    );
  }
  const rows = await query.orderBy('a.createdAt', 'desc').orderBy('a.id', 'desc').limit(options.limit + 1).execute();
  const page = rows.slice(0, options.limit).map((row) => toActivityView(row as ActivityViewRow, viewerId));
  const last = page.at(-1);
  return { items: page, next: rows.length > options.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}

/** The activity with its owner's name, deleted or not; for permission checks and events. */
export async function findActivity(db: Db, id: string): Promise<(Activity & { deletedAt: string | null }) | undefined> {
  const row = await db
    .selectFrom('activities as a')
    .innerJoin('users as u', 'u.id', 'a.ownerId')
    .selectAll('a')
    .select('u.displayName as ownerName')
    .where('a.id', '=', id)
    .executeTakeFirst();
  return row ? { ...toActivity(row), deletedAt: row.deletedAt } : undefined;
}

export async function findRelation(db: Db, activityId: string, ownerId: string, userId: string): Promise<ActivityRelation> {
  const [member, invite] = await Promise.all([
    db.selectFrom('activityMembers').select('userId').where('activityId', '=', activityId).where('userId', '=', userId).executeTakeFirst(),
    db.selectFrom('activityInvites').select('userId').where('activityId', '=', activityId).where('userId', '=', userId).executeTakeFirst(),
  ]);
  return { isOwner: ownerId === userId, isMember: member !== undefined, isInvited: invite !== undefined };
}

export async function listMembers(db: Db, activityId: string): Promise<Member[]> {
  const rows = await db
    .selectFrom('activityMembers as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select(['m.activityId', 'm.userId', 'm.role', 'm.joinedAt', 'u.displayName'])
    .where('m.activityId', '=', activityId)
    .orderBy('m.joinedAt')
    .orderBy('m.userId')
    .execute();
  return rows.map((row) => ({ ...row }));
}

/** Everyone entitled to see a private activity: owner, members and invitees. */
export async function listAudienceUserIds(db: Db, activityId: string, ownerId: string): Promise<string[]> {
  const [members, invitees] = await Promise.all([
    db.selectFrom('activityMembers').select('userId').where('activityId', '=', activityId).execute(),
    db.selectFrom('activityInvites').select('userId').where('activityId', '=', activityId).execute(),
  ]);
  return [...new Set([ownerId, ...members.map((m) => m.userId), ...invitees.map((i) => i.userId)])];
}

/** The user's role in the activity, or null when they are not a member. */
export async function findMemberRole(db: Db, activityId: string, userId: string): Promise<Member['role'] | null> {
  const row = await db.selectFrom('activityMembers').select('role').where('activityId', '=', activityId).where('userId', '=', userId).executeTakeFirst();
  return row?.role ?? null;
}

/** Whether a host removed the user from the activity and has not invited them back. */
export async function isRemovedFrom(db: Db, activityId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('activityRemovals')
    .select('userId')
    .where('activityId', '=', activityId)
    .where('userId', '=', userId)
    .where('liftedAt', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}
