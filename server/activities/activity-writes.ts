import type { Kysely } from 'kysely';
import { preparedQuery } from '../db/prepared-query';
import type { ActivitiesTable, Database, TombstonesTable } from '../db/schema';

/**
 * The statements that change activities and what hangs off them. Each takes the transaction and
 * the change-sequence position the transaction took first (see `takeNextSeq`), and stamps every
 * row it touches with it, so the sync feed can find the change.
 */
type Trx = Kysely<Database>;

/** Inserts the activity, its organizer's membership and its chat room; false (and nothing written) when the id is taken. */
export async function insertActivityWithOwner(trx: Trx, row: ActivitiesTable): Promise<boolean> {
  const inserted = await insertActivityQuery(trx, row);
  if (Number(inserted.numAffectedRows ?? 0n) !== 1) return false;
  await insertOwnerQuery(trx, { activityId: row.id, userId: row.ownerId, joinedAt: row.createdAt, seq: row.seq });
  // Its chat room, under the activity's id.
  await insertRoomQuery(trx, { id: row.id, createdAt: row.createdAt, seq: row.seq });
  return true;
}

// Every create runs these three: built once (see preparedQuery). The activity's id is taken when
// its insert changes nothing.
const activityColumns = [
  'id', 'ownerId', 'title', 'description', 'location', 'startsAt', 'endsAt', 'capacity', 'visibility',
  'memberCount', 'likeCount', 'checkinCount', 'createdAt', 'updatedAt', 'deletedAt', 'version', 'seq', 'publicSinceSeq',
] as const satisfies readonly (keyof ActivitiesTable)[];

const insertActivityQuery = preparedQuery<keyof ActivitiesTable>((db, param) =>
  db
    .insertInto('activities')
    .values(Object.fromEntries(activityColumns.map((column) => [column, param(column)])) as Record<keyof ActivitiesTable, never>)
    .onConflict((oc) => oc.column('id').doNothing()),
);

const insertOwnerQuery = preparedQuery<'activityId' | 'userId' | 'joinedAt' | 'seq'>((db, param) =>
  db
    .insertInto('activityMembers')
    .values({ activityId: param('activityId'), userId: param('userId'), role: 'owner', joinedAt: param('joinedAt'), seq: param('seq') }),
);

const insertRoomQuery = preparedQuery<'id' | 'createdAt' | 'seq'>((db, param) =>
  db
    .insertInto('conversations')
    .values({ id: param('id'), kind: 'activity', activityId: param('id'), userA: null, userB: null, createdAt: param('createdAt'), seq: param('seq') }),
);

/** Applies the fields; false when the row is gone. */
export async function updateActivityFields(
  trx: Trx,
  id: string,
  // Kysely leaves out keys whose value is undefined: only the fields the edit names change.
  fields: { [K in 'title' | 'description' | 'location' | 'startsAt' | 'endsAt' | 'capacity' | 'visibility']?: ActivitiesTable[K] | undefined },
  options: { seq: number; at: string; becomesPublic: boolean },
): Promise<boolean> {
  const result = await trx
    .updateTable('activities')
    .set((eb) => ({
      ...fields,
      version: eb('version', '+', 1),
      updatedAt: options.at,
      seq: options.seq,
      ...(options.becomesPublic ? { publicSinceSeq: options.seq } : {}),
      ...(fields.visibility === 'private' ? { publicSinceSeq: 0 } : {}),
    }))
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markActivityDeleted(trx: Trx, id: string, seq: number, at: string): Promise<boolean> {
  const result = await trx
    .updateTable('activities')
    .set((eb) => ({ deletedAt: at, updatedAt: at, version: eb('version', '+', 1), seq }))
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Bumps counts and version in one statement, so concurrent writers never lose an increment. */
export async function bumpActivityCounts(
  trx: Trx,
  id: string,
  change: { members?: 1 | -1; likes?: 1 | -1 },
  options: { seq: number; at: string; enforceCapacity?: boolean },
): Promise<boolean> {
  let query = trx
    .updateTable('activities')
    .set((eb) => ({
      memberCount: eb('memberCount', '+', change.members ?? 0),
      likeCount: eb('likeCount', '+', change.likes ?? 0),
      version: eb('version', '+', 1),
      updatedAt: options.at,
      seq: options.seq,
    }))
    .where('id', '=', id)
    .where('deletedAt', 'is', null);
  if (options.enforceCapacity) {
    query = query.where((eb) => eb.or([eb('capacity', 'is', null), eb('memberCount', '<', eb.ref('capacity'))]));
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Inserts the row unless it exists; true when this call inserted it. */
export async function insertMember(trx: Trx, activityId: string, userId: string, seq: number, at: string): Promise<boolean> {
  const result = await trx
    .insertInto('activityMembers')
    .values({ activityId, userId, role: 'member', joinedAt: at, seq })
    .onConflict((oc) => oc.columns(['activityId', 'userId']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function deleteMember(trx: Trx, activityId: string, userId: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('activityMembers')
    .where('activityId', '=', activityId)
    .where('userId', '=', userId)
    // The organizer's row never goes (they delete the activity instead); a co-host's does.
    .where('role', '!=', 'owner')
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Gives a member (never the organizer) a role; false when they are not a member or already have it. */
export async function updateMemberRole(trx: Trx, activityId: string, userId: string, role: 'cohost' | 'member', seq: number): Promise<boolean> {
  const result = await trx
    .updateTable('activityMembers')
    .set({ role, seq })
    .where('activityId', '=', activityId)
    .where('userId', '=', userId)
    .where('role', '!=', 'owner')
    .where('role', '!=', role)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records (or records again) that a host removed this person. */
export async function recordRemoval(
  trx: Trx,
  row: { activityId: string; userId: string; removedBy: string; title: string },
  stamp: { seq: number; at: string },
): Promise<void> {
  await trx
    .insertInto('activityRemovals')
    .values({ ...row, removedAt: stamp.at, liftedAt: null, seq: stamp.seq })
    .onConflict((oc) =>
      oc.columns(['activityId', 'userId']).doUpdateSet({ removedBy: row.removedBy, title: row.title, removedAt: stamp.at, liftedAt: null, seq: stamp.seq }),
    )
    .execute();
}

/** A host invited a removed person back: they may join again. True when there was a removal to lift. */
export async function liftRemoval(trx: Trx, activityId: string, userId: string, stamp: { seq: number; at: string }): Promise<boolean> {
  const result = await trx
    .updateTable('activityRemovals')
    .set({ liftedAt: stamp.at, seq: stamp.seq })
    .where('activityId', '=', activityId)
    .where('userId', '=', userId)
    .where('liftedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertLike(trx: Trx, activityId: string, userId: string, seq: number, at: string): Promise<boolean> {
  const result = await trx
    .insertInto('activityLikes')
    .values({ activityId, userId, createdAt: at, seq })
    .onConflict((oc) => oc.columns(['activityId', 'userId']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function deleteLike(trx: Trx, activityId: string, userId: string): Promise<boolean> {
  const result = await trx.deleteFrom('activityLikes').where('activityId', '=', activityId).where('userId', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function insertInvite(trx: Trx, activityId: string, userId: string, invitedBy: string, seq: number, at: string) {
  const result = await trx
    .insertInto('activityInvites')
    .values({ activityId, userId, invitedBy, createdAt: at, seq })
    .onConflict((oc) => oc.columns(['activityId', 'userId']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Records the check-in unless one exists; true when this call made it. */
export async function insertCheckin(trx: Trx, activityId: string, userId: string, seq: number, at: string): Promise<boolean> {
  const result = await trx
    .insertInto('activityCheckins')
    .values({ activityId, userId, checkedInAt: at, seq })
    .onConflict((oc) => oc.columns(['activityId', 'userId']).doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;
  await trx
    .updateTable('activities')
    .set((eb) => ({ checkinCount: eb('checkinCount', '+', 1), version: eb('version', '+', 1), updatedAt: at, seq }))
    .where('id', '=', activityId)
    .execute();
  return true;
}

/** Moves an existing check-in to another time (a client-wins bulk retry). */
export async function updateCheckinTime(trx: Trx, activityId: string, userId: string, seq: number, at: string): Promise<boolean> {
  const result = await trx
    .updateTable('activityCheckins')
    .set({ checkedInAt: at, seq })
    .where('activityId', '=', activityId)
    .where('userId', '=', userId)
    .where('checkedInAt', '!=', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteInvite(trx: Trx, activityId: string, userId: string): Promise<void> {
  await trx.deleteFrom('activityInvites').where('activityId', '=', activityId).where('userId', '=', userId).execute();
}

export async function insertTombstones(trx: Trx, tombstones: TombstonesTable[]): Promise<void> {
  if (tombstones.length === 0) return;
  await trx.insertInto('tombstones').values(tombstones).execute();
}
