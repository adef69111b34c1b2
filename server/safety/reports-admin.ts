import type { AdminReportsPage, AdminReportsQuery } from '../../protocol';
import type { Db } from '../db/connect';
import { AppError } from '../http/app-error';
import { listReports } from './reports-store';

/** The administrators' list of reports (ADMIN_USER_IDS), newest first, in pages. */
export interface ReportsAdminService {
  /** Refuses (403) anyone who is not an administrator. */
  requireAdmin(viewer: { id: string }): void;
  list(viewer: { id: string }, query: AdminReportsQuery): Promise<AdminReportsPage>;
}

/** The page cursor: the last report's (created at, id), opaque to the client. */
function encodeCursor(report: { createdAt: string; id: string }): string {
  return Buffer.from(JSON.stringify([report.createdAt, report.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return { createdAt: value[0], id: value[1] };
  } catch {
    // Falls through to the refusal below.
  }
  throw new AppError('invalid_cursor', 'This page cursor is not one of ours', { fields: { before: 'is not a cursor' } });
}

export function createReportsAdminService(deps: { db: Db; adminUserIds: readonly string[] }): ReportsAdminService {
  const requireAdmin = (viewer: { id: string }) => {
    if (!deps.adminUserIds.includes(viewer.id)) throw new AppError('forbidden', 'Only an administrator may read reports');
  };
  return {
    requireAdmin,
    async list(viewer, query) {
      requireAdmin(viewer);
      const before = query.before === undefined ? null : decodeCursor(query.before);
      // One more than asked: whether there is a next page, without a count.
      const rows = await listReports(deps.db, before, query.limit + 1);
      const reports = rows.slice(0, query.limit);
      const last = reports[reports.length - 1];
      return { reports, next: rows.length > query.limit && last ? encodeCursor(last) : null };
    },
  };
}
