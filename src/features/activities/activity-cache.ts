import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { ActivityView } from '../../../protocol';
import {
  applyServerView,
  findInPages,
  mapActivitiesInPages,
  prependToPages,
  removeFromPages,
  type PagedActivities,
} from './activity-changes';
import { activityKeys } from './query-keys';

/** Writes to every cached copy of an activity: the lists it appears in and its detail. */

export function updateActivityEverywhere(
  queryClient: QueryClient,
  activityId: string,
  update: (view: ActivityView) => ActivityView,
): void {
  queryClient.setQueriesData<PagedActivities>({ queryKey: activityKeys.lists }, (data) =>
    data ? mapActivitiesInPages(data, activityId, update) : data,
  );
  queryClient.setQueryData<ActivityView>(activityKeys.detail(activityId), (view) => (view ? update(view) : view));
}

/** A response to one of this viewer's requests. */
export function writeServerView(queryClient: QueryClient, fresh: ActivityView): void {
  updateActivityEverywhere(queryClient, fresh.id, (view) => applyServerView(view, fresh));
  if (!queryClient.getQueryData(activityKeys.detail(fresh.id))) {
    queryClient.setQueryData(activityKeys.detail(fresh.id), fresh);
  }
}

/** Adds a new activity to the top of each list it belongs in (if that list is loaded). */
export function prependActivity(queryClient: QueryClient, view: ActivityView): void {
  const lists: QueryKey[] = [activityKeys.list('feed'), activityKeys.list({ ownedBy: view.ownerId })];
  if (view.viewer.isOwner || view.viewer.joined) lists.push(activityKeys.list('mine'));
  for (const queryKey of lists) {
    queryClient.setQueryData<PagedActivities>(queryKey, (data) => (data ? prependToPages(data, view) : data));
  }
}

export function removeActivityEverywhere(queryClient: QueryClient, activityId: string): void {
  queryClient.setQueriesData<PagedActivities>({ queryKey: activityKeys.lists }, (data) =>
    data ? removeFromPages(data, activityId) : data,
  );
  queryClient.removeQueries({ queryKey: activityKeys.members(activityId) });
}

/** The freshest copy of an activity any list holds, to show a detail screen before it loads. */
export function findListedActivity(
  queryClient: QueryClient,
  activityId: string,
): { view: ActivityView; updatedAt: number } | undefined {
  let best: { view: ActivityView; updatedAt: number } | undefined;
  for (const query of queryClient.getQueryCache().findAll({ queryKey: activityKeys.lists })) {
    const data = query.state.data as PagedActivities | undefined;
    const view = data ? findInPages(data, activityId) : undefined;
    if (view && (!best || view.version > best.view.version)) best = { view, updatedAt: query.state.dataUpdatedAt };
  }
  return best;
}

export type ActivitySnapshot = [QueryKey, unknown][];

/** Everything cached about activities, to roll an optimistic change back. */
export function snapshotActivities(queryClient: QueryClient): ActivitySnapshot {
  return queryClient.getQueriesData({ queryKey: activityKeys.all });
}

export function restoreActivities(queryClient: QueryClient, snapshot: ActivitySnapshot): void {
  for (const [queryKey, data] of snapshot) queryClient.setQueryData(queryKey, data);
}
