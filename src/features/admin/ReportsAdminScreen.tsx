import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { AdminReport } from '../../../protocol';
import { EmptyState } from '../../ui/feedback';
import { useDocumentTitle } from '../../ui/use-document-title';
import { REASON_LABELS } from '../safety/safety-writes';
import { AdminData, retryUnlessForbidden } from './AdminData';
import { adminReportsKey, fetchAdminReports } from './admin-queries';
import './admin.css';

const reportedAt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Reports of people and messages, for the people named in ADMIN_USER_IDS: who reported whom,
 * the message as it read when reported, the reason and when; newest first, a page at a time.
 * Like every administration screen it reads the server, so it needs the network.
 */
export function ReportsAdminScreen() {
  useDocumentTitle('Reports');
  const reports = useInfiniteQuery({
    queryKey: adminReportsKey,
    queryFn: ({ pageParam, signal }) => fetchAdminReports(pageParam, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next,
    retry: retryUnlessForbidden,
  });
  return (
    <section className="page page-narrow admin" aria-labelledby="admin-reports-title">
      <h1 id="admin-reports-title">Reports</h1>
      <AdminData query={reports} refusedTitle="Only administrators can read reports" loadingLabel="Loading reports…">
        {(data) => {
          const all = data.pages.flatMap((page) => page.reports);
          if (all.length === 0) return <EmptyState title="No reports" />;
          return (
            <>
              <ol className="admin-reports">
                {all.map((report) => (
                  <ReportItem key={report.id} report={report} />
                ))}
              </ol>
              {reports.hasNextPage && (
                <button type="button" className="button button-secondary admin-more" disabled={reports.isFetchingNextPage} onClick={() => void reports.fetchNextPage()}>
                  {reports.isFetchingNextPage ? 'Loading…' : 'Older reports'}
                </button>
              )}
            </>
          );
        }}
      </AdminData>
    </section>
  );
}

function ReportItem({ report }: { report: AdminReport }) {
  return (
    <li className="card admin-report" data-testid="admin-report">
      <p className="admin-report-head">
        <strong>{REASON_LABELS[report.reason]}</strong>
        {' · '}
        <time dateTime={report.createdAt}>{reportedAt.format(new Date(report.createdAt))}</time>
      </p>
      <p>
        <Link to={`/profile/${report.reporter.id}`}>
          <bdi>{report.reporter.displayName}</bdi>
        </Link>{' '}
        reported {report.message ? 'a message by ' : ''}
        <Link to={`/profile/${report.target.id}`}>
          <bdi>{report.target.displayName}</bdi>
        </Link>
      </p>
      {report.message && (
        <blockquote className="admin-report-message" dir="auto" data-testid="admin-report-message">
          {report.message.body || <em>(empty: deleted before it was reported)</em>}
        </blockquote>
      )}
      {report.text && (
        <p className="admin-report-text" dir="auto">
          “{report.text}”
        </p>
      )}
    </li>
  );
}
