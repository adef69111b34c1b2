import { sql } from 'kysely';
import type { PublicUser, SelfUser, UserProfile } from '../../protocol';
import type { Db } from './connect';
import { preparedQuery } from './prepared-query';
import type { UsersTable } from './schema';

export function toSelfUser(row: Pick<UsersTable, 'id' | 'email' | 'displayName' | 'createdAt'>): SelfUser {
  return { id: row.id, email: row.email, displayName: row.displayName, createdAt: row.createdAt };
}

export function toPublicUser(row: Pick<UsersTable, 'id' | 'displayName' | 'createdAt'>): PublicUser {
  return { id: row.id, displayName: row.displayName, createdAt: row.createdAt };
}

export async function findUserByEmail(db: Db, email: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findUserById(db: Db, id: string): Promise<UsersTable | undefined> {
  return (await findUserByIdQuery(db, { id })).rows[0];
}

// Every activity create reads its organizer (see createdActivityView): built once (see preparedQuery).
const findUserByIdQuery = preparedQuery<'id', UsersTable>((db, param) => db.selectFrom('users').selectAll().where('id', '=', param('id')));

/** Inserts the user; false when the email is already taken (also under a concurrent insert). */
export async function insertUser(db: Db, user: UsersTable): Promise<boolean> {
  const result = await db
    .insertInto('users')
    .values(user)
    .onConflict((oc) => oc.column('email').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function getUserProfile(db: Db, id: string): Promise<UserProfile | undefined> {
  const user = await findUserById(db, id);
  if (!user) return undefined;
  const [owned, joined] = await Promise.all([
    db
      .selectFrom('activities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ownerId', '=', id)
      .where('deletedAt', 'is', null)
      .where('visibility', '=', 'public')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('activityMembers')
      .innerJoin('activities', 'activities.id', 'activityMembers.activityId')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('activityMembers.userId', '=', id)
      .where('activityMembers.role', '!=', 'owner')
      .where('activities.deletedAt', 'is', null)
      .where('activities.visibility', '=', 'public')
      .executeTakeFirstOrThrow(),
  ]);
  return { ...toPublicUser(user), activitiesOwned: Number(owned.n), activitiesJoined: Number(joined.n) };
}

/** Users whose display name contains the query, for inviting people. */
export async function searchUsers(db: Db, query: string, limit = 20): Promise<PublicUser[]> {
  const pattern = `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db
    .selectFrom('users')
    .select(['id', 'displayName', 'createdAt'])
    .where(sql<boolean>`lower(display_name) like ${pattern} escape '\\'`)
    .orderBy('displayName')
    .limit(limit)
    .execute();
  return rows.map(toPublicUser);
}
