import { useLiveQuery } from './live-query';
import type { LocalBlockedUser } from '../../device-db/local-db';
import { useLocalSession } from './local-session';

/** The people this user blocks now, by name (settings' list); undefined while reading. */
export function useBlockedUsers(): LocalBlockedUser[] | undefined {
  const local = useLocalSession();
  return useLiveQuery(
    async () => (local ? (await local.db.blockedUsers.filter((row) => row.blockedAt !== null).toArray()).sort((a, b) => a.displayName.localeCompare(b.displayName)) : []),
    [local],
  );
}

/** Whether this user blocks `userId` now (false while reading). */
export function useIsBlocked(userId: string | null): boolean {
  const local = useLocalSession();
  return useLiveQuery(async () => (local && userId ? ((await local.db.blockedUsers.get(userId))?.blockedAt ?? null) !== null : false), [local, userId], false);
}
