import {
  ActivityPage,
  ActivityView,
  MemberList,
  type CreateActivityBody,
  type UpdateActivityBody,
} from '../../../protocol';
import { apiRequest } from '../../net/api';
import type { ListScope } from './query-keys';

/**
 * Where activity data comes from. Only queries.ts calls these, so moving reads to a local
 * database later changes this file and queries.ts, not the screens.
 */

const PAGE_SIZE = 20;

export function fetchActivityPage(scope: ListScope, cursor: string | null, signal: AbortSignal): Promise<ActivityPage> {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (typeof scope === 'string') {
    params.set('scope', scope);
  } else {
    params.set('scope', 'owned-by');
    params.set('userId', scope.ownedBy);
  }
  if (cursor) params.set('cursor', cursor);
  return apiRequest(`/api/activities?${params}`, { schema: ActivityPage, signal });
}

export function fetchActivity(activityId: string, signal: AbortSignal): Promise<ActivityView> {
  return apiRequest(`/api/activities/${encodeURIComponent(activityId)}`, { schema: ActivityView, signal });
}

export function fetchMembers(activityId: string, signal: AbortSignal): Promise<MemberList> {
  return apiRequest(`/api/activities/${encodeURIComponent(activityId)}/members`, { schema: MemberList, signal });
}

export function createActivity(body: CreateActivityBody): Promise<ActivityView> {
  return apiRequest('/api/activities', { method: 'POST', body, schema: ActivityView });
}

export function updateActivity(activityId: string, body: UpdateActivityBody): Promise<ActivityView> {
  return apiRequest(`/api/activities/${encodeURIComponent(activityId)}`, { method: 'PATCH', body, schema: ActivityView });
}

export function deleteActivity(activityId: string): Promise<void> {
  return apiRequest(`/api/activities/${encodeURIComponent(activityId)}`, { method: 'DELETE' });
}

export function setLiked(activityId: string, liked: boolean): Promise<ActivityView> {
  return apiRequest(`/api/activities/${encodeURIComponent(activityId)}/like`, {
    method: liked ? 'PUT' : 'DELETE',
    schema: ActivityView,
  });
}

export function setJoined(activityId: string, joined: boolean): Promise<ActivityView> {
  return apiRequest(`/api/activities/${encodeURIComponent(activityId)}/join`, {
    method: joined ? 'POST' : 'DELETE',
    schema: ActivityView,
  });
}

export function inviteUser(activityId: string, userId: string): Promise<void> {
  return apiRequest(`/api/activities/${encodeURIComponent(activityId)}/invites`, {
    method: 'POST',
    body: { userId },
  });
}
