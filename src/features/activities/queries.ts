import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { ActivityView, Member } from '../../../protocol';
import { readActivity, readActivityList, readHasSynced, readMembers, type ListScope } from '../../data/activity-reads';
import { useOptionalLocalData } from '../../data/local-data';

/**
 * The only way screens read activities: live queries over the device's database, which the sync
 * engine and the mutations keep current. `undefined` means "still reading" (a few milliseconds).
 */

const PAGE = 30;

export interface ActivityListState {
  activities: ActivityView[] | undefined;
  hasMore: boolean;
  showMore(): void;
}

export function useActivityList(scope: ListScope, search = ''): ActivityListState {
  const local = useOptionalLocalData();
  const [limit, setLimit] = useState(PAGE);
  const scopeKey = typeof scope === 'string' ? scope : `owned-by:${scope.ownedBy}`;
  const result = useLiveQuery(
    () => (local ? readActivityList(local.db, local.userId, scope, limit, search) : undefined),
    [local, scopeKey, limit, search],
  );
  return { activities: result?.items, hasMore: result?.hasMore ?? false, showMore: () => setLimit((n) => n + PAGE) };
}

/** The activity, null when this device does not hold it, undefined while reading. */
export function useActivity(activityId: string): ActivityView | null | undefined {
  const local = useOptionalLocalData();
  return useLiveQuery(() => (local ? readActivity(local.db, local.userId, activityId) : undefined), [local, activityId]);
}

export function useMembers(activityId: string): Member[] | undefined {
  const local = useOptionalLocalData();
  return useLiveQuery(() => (local ? readMembers(local.db, activityId) : undefined), [local, activityId]);
}

/** False until the first full sync has completed on this device. */
export function useHasSynced(): boolean | undefined {
  const local = useOptionalLocalData();
  return useLiveQuery(() => (local ? readHasSynced(local.db) : undefined), [local]);
}
