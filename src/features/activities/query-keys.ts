/** Feed tabs on the home screen plus per-user lists on profiles. */
export type ListScope = 'feed' | 'mine' | { ownedBy: string };

export const activityKeys = {
  all: ['activities'] as const,
  lists: ['activities', 'list'] as const,
  list: (scope: ListScope) =>
    typeof scope === 'string'
      ? (['activities', 'list', scope] as const)
      : (['activities', 'list', 'owned-by', scope.ownedBy] as const),
  details: ['activities', 'detail'] as const,
  detail: (activityId: string) => ['activities', 'detail', activityId] as const,
  members: (activityId: string) => ['activities', 'members', activityId] as const,
};
