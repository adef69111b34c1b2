import { ActivityView, type CreateActivityBody, type UpdateActivityBody } from '../../../protocol';
import { apiRequest } from '../../net/api';

/** The server calls behind activity writes. Reads come from the device's database. */

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
