import { useMutation } from '@tanstack/react-query';
import * as activityApi from './activity-api';

/** An invitation is a server-only write (not a mutation of the device's data), so TanStack Query carries it. */
export function useInviteUser(activityId: string) {
  return useMutation({
    mutationFn: (userId: string) => activityApi.inviteUser(activityId, userId),
  });
}
