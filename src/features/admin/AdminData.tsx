import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../../net/api';
import { EmptyState, InlineError, Spinner } from '../../ui/feedback';

/** Administrators' reads are refused (403) to everyone else: no point asking again. */
export const retryUnlessForbidden = (count: number, error: Error) => !(error instanceof ApiError && error.status === 403) && count < 2;

/**
 * What an admin screen shows around its data: the way to get access when refused, a word when
 * offline (administration reads the server, never the device), loading and errors.
 */
export function AdminData<T>({ query, refusedTitle, loadingLabel, children }: { query: UseQueryResult<T>; refusedTitle: string; loadingLabel: string; children: (data: T) => ReactNode }) {
  if (query.error instanceof ApiError && query.error.status === 403) {
    return <EmptyState title={refusedTitle}>Ask whoever runs this Rally to add you to ADMIN_USER_IDS.</EmptyState>;
  }
  if (query.fetchStatus === 'paused' && !query.data) return <p className="muted">Shown when you are online.</p>;
  if (query.data === undefined) return query.error ? <InlineError message={query.error.message} /> : <Spinner label={loadingLabel} />;
  return <>{children(query.data)}</>;
}
