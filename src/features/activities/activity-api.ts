import { apiRequest } from '../../net/api';

/** The server calls behind activity actions that are not mutations. Reads come from the device's database. */

export function inviteUser(activityId: string, userId: string): Promise<void> {
  return apiRequest(`/api/activities/${encodeURIComponent(activityId)}/invites`, {
    method: 'POST',
    body: { userId },
  });
}
