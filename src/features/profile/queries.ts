import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { UserList, UserProfile } from '../../../protocol';
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
