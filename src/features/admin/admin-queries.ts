import { AnalyticsDashboard } from '../../../protocol/analytics';
import { AdminFlagList } from '../../../protocol/flags';
import { AdminReportsPage } from '../../../protocol/safety';
import { apiRequest } from '../../net/api';

/** The flags as administrators see them; Settings asks too, to show the way here only to them. */
export const adminFlagsKey = ['admin', 'flags'] as const;

export function fetchAdminFlags({ signal }: { signal: AbortSignal }): Promise<AdminFlagList> {
  return apiRequest('/api/admin/flags', { schema: AdminFlagList, signal });
}

export const adminAnalyticsKey = (days: number) => ['admin', 'analytics', days] as const;

export function fetchAdminAnalytics(days: number, { signal }: { signal: AbortSignal }): Promise<AnalyticsDashboard> {
  return apiRequest(`/api/admin/analytics?days=${days}`, { schema: AnalyticsDashboard, signal });
}

export const adminReportsKey = ['admin', 'reports'] as const;

/** A page of reports, newest first; `before` is the previous page's `next`. */
export function fetchAdminReports(before: string | null, { signal }: { signal: AbortSignal }): Promise<AdminReportsPage> {
  const query = before === null ? '' : `?before=${encodeURIComponent(before)}`;
  return apiRequest(`/api/admin/reports${query}`, { schema: AdminReportsPage, signal });
}
