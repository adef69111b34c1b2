import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { UserList, UserProfile } from '../../../protocol';
import { useLiveQuery } from 'dexie-react-hooks';
import { readKnownPerson } from '../../data/activity-reads';
import { useOptionalLocalData } from '../../data/local-data';
import { apiRequest } from '../../net/api';

export const userKeys = {
  profile: (userId: string) => ['users', 'profile', userId] as const,
  search: (query: string) => ['users', 'search', query] as const,
};

export function useUserProfile(userId: string) {
  return useQuery({
    queryKey: userKeys.profile(userId),
    queryFn: ({ signal }) => apiRequest(`/api/users/${encodeURIComponent(userId)}`, { schema: UserProfile, signal }),
  });
}

/** People by display name, for inviting. An empty query searches nothing. */
export function useUserSearch(query: string) {
  const trimmed = query.trim();
  return useQuery({
    queryKey: userKeys.search(trimmed),
    queryFn: ({ signal }) =>
      apiRequest(`/api/users?${new URLSearchParams({ q: trimmed })}`, { schema: UserList, signal }),
    select: (list) => list.items,
    enabled: trimmed.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** What this device knows of a person from the activities it holds. */
export function useKnownPerson(userId: string) {
  const local = useOptionalLocalData();
  return useLiveQuery(() => (local ? readKnownPerson(local.db, userId) : null), [local, userId]);
}
