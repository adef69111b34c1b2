import { useLiveQuery } from './live-query';
import type { LocalRemoval } from '../../device-db/local-db';
import { useLocalSession } from './local-session';

/**
 * Whether a host removed the signed-in user from this activity and has not invited them back:
 * the removal, null when there is none, undefined while reading. Lazy screens only (it is not
 * part of the first load).
 */
export function useStandingRemoval(activityId: string): LocalRemoval | null | undefined {
  const local = useLocalSession();
  return useLiveQuery(async () => {
    if (!local) return undefined;
    const removal = await local.db.removals.get(activityId);
    return removal && removal.liftedAt === null ? removal : null;
  }, [local, activityId]);
}
