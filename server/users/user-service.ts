import type { PublicUser, SelfUser, UserProfile } from '../../protocol';
import type { Db } from '../db/connect';
import { findUserById, getUserProfile, searchUsers, toSelfUser } from '../db/users-store';

/** What the HTTP routes ask about users, so they never reach into the tables themselves. */
export interface UserService {
  /** The signed-in user's own view (with email); undefined once the account is gone. */
  selfOf(userId: string): Promise<SelfUser | undefined>;
  /** What anyone signed in may see of a user, with their public activity counts. */
  profileOf(userId: string): Promise<UserProfile | undefined>;
  /** Users whose display name contains the query, for inviting people or opening a chat. */
  search(query: string): Promise<PublicUser[]>;
}

export function createUserService(db: Db): UserService {
  return {
    async selfOf(userId) {
      const user = await findUserById(db, userId);
      return user ? toSelfUser(user) : undefined;
    },
    profileOf: (userId) => getUserProfile(db, userId),
    search: (query) => searchUsers(db, query),
  };
}
