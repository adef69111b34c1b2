import { z } from 'zod';
import { Id } from './ids';
import { PublicUser } from './auth';

export const UserIdParams = z.strictObject({ userId: Id });
export type UserIdParams = z.infer<typeof UserIdParams>;

export const UserProfile = PublicUser.extend({
  activitiesOwned: z.number().int(),
  activitiesJoined: z.number().int(),
});
export type UserProfile = z.infer<typeof UserProfile>;

export const UserSearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(50),
});
export type UserSearchQuery = z.infer<typeof UserSearchQuery>;

export const UserList = z.object({ items: z.array(PublicUser) });
export type UserList = z.infer<typeof UserList>;
