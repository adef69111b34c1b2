import { AdminFlagList } from '../../../protocol/flags';
import { apiRequest } from '../../net/api';

/** The flags as administrators see them; Settings asks too, to show the way here only to them. */
export const adminFlagsKey = ['admin', 'flags'] as const;

export function fetchAdminFlags({ signal }: { signal: AbortSignal }): Promise<AdminFlagList> {
  return apiRequest('/api/admin/flags', { schema: AdminFlagList, signal });
}
