import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
} from '@tanstack/react-query';
import type { ActivityPage, ActivityView, CreateActivityBody, UpdateActivityBody } from '../../../protocol';
import * as activityApi from './activity-api';
import {
  findListedActivity,
  prependActivity,
  removeActivityEverywhere,
  restoreActivities,
  snapshotActivities,
  updateActivityEverywhere,
  writeServerView,
} from './activity-cache';
import { activityKeys, type ListScope } from './query-keys';

/**
 * The only way the UI reads or changes activities. Screens never see fetch or the cache layout.
 */

export function useActivityList(scope: ListScope) {
  return useInfiniteQuery<ActivityPage, Error, InfiniteData<ActivityPage>, readonly unknown[], string | null>({
    queryKey: activityKeys.list(scope),
    queryFn: ({ pageParam, signal }) => activityApi.fetchActivityPage(scope, pageParam, signal),
    initialPageParam: null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });
}

export function useFeed(scope: 'feed' | 'mine') {
  return useActivityList(scope);
}

export function useActivity(activityId: string) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: activityKeys.detail(activityId),
    queryFn: ({ signal }) => activityApi.fetchActivity(activityId, signal),
    // Open instantly from the feed's copy; it still refetches because that copy may be older.
    initialData: () => findListedActivity(queryClient, activityId)?.view,
    initialDataUpdatedAt: () => findListedActivity(queryClient, activityId)?.updatedAt,
  });
}

export function useMembers(activityId: string) {
  return useQuery({
    queryKey: activityKeys.members(activityId),
    queryFn: ({ signal }) => activityApi.fetchMembers(activityId, signal),
    select: (list) => list.items,
  });
}

export function useCreateActivity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateActivityBody) => activityApi.createActivity(body),
    onSuccess: (view) => {
      writeServerView(queryClient, view);
      prependActivity(queryClient, view);
    },
  });
}

export function useUpdateActivity(activityId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateActivityBody) => activityApi.updateActivity(activityId, body),
    onSuccess: (view) => writeServerView(queryClient, view),
  });
}

export function useDeleteActivity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (activityId: string) => activityApi.deleteActivity(activityId),
    onSuccess: (_nothing, activityId) => {
      removeActivityEverywhere(queryClient, activityId);
      queryClient.removeQueries({ queryKey: activityKeys.detail(activityId) });
    },
  });
}

/**
 * Shared shape of like and join: flip the viewer's flag and the count at once, send, then take
 * the server's view, or put everything back if the server said no.
 */
function useOptimisticToggle(
  send: (activityId: string, on: boolean) => Promise<ActivityView>,
  flip: (view: ActivityView, on: boolean) => ActivityView,
  afterSettled?: (activityId: string) => void,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ activityId, on }: { activityId: string; on: boolean }) => send(activityId, on),
    onMutate: async ({ activityId, on }) => {
      await queryClient.cancelQueries({ queryKey: activityKeys.detail(activityId) });
      const snapshot = snapshotActivities(queryClient);
      updateActivityEverywhere(queryClient, activityId, (view) => flip(view, on));
      return { snapshot };
    },
    onError: (_error, _variables, context) => {
      if (context) restoreActivities(queryClient, context.snapshot);
    },
    onSuccess: (view) => writeServerView(queryClient, view),
    onSettled: (_view, _error, { activityId }) => afterSettled?.(activityId),
  });
}

export function useToggleLike() {
  return useOptimisticToggle(activityApi.setLiked, (view, liked) =>
    view.viewer.liked === liked
      ? view
      : { ...view, likeCount: view.likeCount + (liked ? 1 : -1), viewer: { ...view.viewer, liked } },
  );
}

export function useToggleJoin() {
  const queryClient = useQueryClient();
  return useOptimisticToggle(
    activityApi.setJoined,
    (view, joined) =>
      view.viewer.joined === joined
        ? view
        : { ...view, memberCount: view.memberCount + (joined ? 1 : -1), viewer: { ...view.viewer, joined } },
    (activityId) => void queryClient.invalidateQueries({ queryKey: activityKeys.members(activityId) }),
  );
}

export function useInviteUser(activityId: string) {
  return useMutation({
    mutationFn: (userId: string) => activityApi.inviteUser(activityId, userId),
  });
}
