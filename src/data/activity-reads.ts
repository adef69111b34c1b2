import type { ActivityView, Member } from '../../protocol';
import type { LocalActivity, RallyLocalDb } from '../../device-db/local-db';

/**
 * Reads of the device's database, shaped for screens. They run inside live queries, so every
 * write to the tables they touch re-runs them.
 */

export type ListScope = 'feed' | 'mine' | { ownedBy: string };

export interface ActivityListResult {
  items: ActivityView[];
  hasMore: boolean;
}

function toView(activity: LocalActivity, me: string, liked: boolean, joined: boolean, checkedIn: boolean): ActivityView {
  const { searchText: _searchText, ...plain } = activity;
  const isOwner = activity.ownerId === me;
  return {
    ...plain,
    // A private activity on this device that I neither host nor joined is one I was invited to.
    viewer: { liked, joined: joined || isOwner, checkedIn, isOwner, invited: activity.visibility === 'private' && !joined && !isOwner },
  };
}

async function withViewerState(db: RallyLocalDb, me: string, activities: LocalActivity[]): Promise<ActivityView[]> {
  const keys = activities.map((activity): [string, string] => [activity.id, me]);
  const [likes, members, checkins] = await Promise.all([db.likes.bulkGet(keys), db.members.bulkGet(keys), db.checkins.bulkGet(keys)]);
  return activities.map((activity, i) =>
    toView(activity, me, likes[i] !== undefined, members[i] !== undefined, checkins[i] !== undefined),
  );
}

const newestFirst = (a: LocalActivity, b: LocalActivity) =>
  a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1;

export async function readActivityList(
  db: RallyLocalDb,
  me: string,
  scope: ListScope,
  limit: number,
  search = '',
): Promise<ActivityListResult> {
  const needle = search.trim().toLowerCase();
  const matches = (activity: LocalActivity) => needle === '' || activity.searchText.includes(needle);
  let rows: LocalActivity[];
  if (scope === 'feed') {
    rows = await db.activities.orderBy('createdAt').reverse().filter(matches).limit(limit + 1).toArray();
  } else if (scope === 'mine') {
    const joinedIds = (await db.members.where('userId').equals(me).toArray()).map((member) => member.activityId);
    const owned = await db.activities.where('ownerId').equals(me).toArray();
    const joined = (await db.activities.bulkGet(joinedIds)).filter((row): row is LocalActivity => row !== undefined);
    const byId = new Map([...owned, ...joined].map((row) => [row.id, row]));
    rows = [...byId.values()].filter(matches).sort(newestFirst).slice(0, limit + 1);
  } else {
    rows = (await db.activities.where('ownerId').equals(scope.ownedBy).toArray()).filter(matches).sort(newestFirst).slice(0, limit + 1);
  }
  return { items: await withViewerState(db, me, rows.slice(0, limit)), hasMore: rows.length > limit };
}

/** The activity as this user sees it, or null when the device does not hold it. */
export async function readActivity(db: RallyLocalDb, me: string, activityId: string): Promise<ActivityView | null> {
  const activity = await db.activities.get(activityId);
  if (!activity) return null;
  const [view] = await withViewerState(db, me, [activity]);
  return view ?? null;
}

export async function readMembers(db: RallyLocalDb, activityId: string): Promise<Member[]> {
  const rows = await db.members.where('activityId').equals(activityId).toArray();
  rows.sort((a, b) => (a.role === b.role ? a.joinedAt.localeCompare(b.joinedAt) : a.role === 'owner' ? -1 : 1));
  return rows.map(({ version: _version, ...member }) => member);
}

/** Whether the device has finished at least one full sync (before that, "not here" may mean "not yet"). */
export async function readHasSynced(db: RallyLocalDb): Promise<boolean> {
  const state = await db.syncState.get('feed');
  return (state?.position ?? 0) > 0;
}

/** What the device knows of a person without asking the server. */
export async function readKnownPerson(db: RallyLocalDb, userId: string): Promise<{ displayName: string; hosting: number; joined: number } | null> {
  const [hosted, memberships] = await Promise.all([
    db.activities.where('ownerId').equals(userId).count(),
    db.members.where('userId').equals(userId).toArray(),
  ]);
  const name = memberships[0]?.displayName ?? (await db.activities.where('ownerId').equals(userId).first())?.ownerName;
  if (!name) return null;
  return { displayName: name, hosting: hosted, joined: memberships.filter((m) => m.role === 'member').length };
}
