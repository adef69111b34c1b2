import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { AnalyticsDashboard } from '../../../protocol/analytics';
import { useDocumentTitle } from '../../ui/use-document-title';
import { AdminData, retryUnlessForbidden } from './AdminData';
import { adminAnalyticsKey, fetchAdminAnalytics } from './admin-queries';
import { dashboardCsv, type DashboardTable } from './dashboard-csv';
import { DayChart, type DaySeries } from './DayChart';
import './admin.css';

const RANGES = [7, 30, 90] as const;

const percentText = (share: number) => `${(share * 100).toFixed(1).replace(/\.0$/, '')} %`;
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/**
 * What an organizer of Rally reads (ADMIN_USER_IDS): active users, sessions and events per day,
 * the funnel sign-up → first join → first message, retention by week of sign-up, an A/B view per
 * flag, and the errors people hit. Every table downloads as CSV. The figures are the server's
 * (first-party events, never a third party's); the screen needs the network, as any administration does.
 */
export function AnalyticsAdminScreen() {
  useDocumentTitle('Analytics');
  const [days, setDays] = useState<number>(30);
  const figures = useQuery({
    queryKey: adminAnalyticsKey(days),
    queryFn: ({ signal }) => fetchAdminAnalytics(days, { signal }),
    retry: retryUnlessForbidden,
  });
  return (
    <section className="page admin admin-analytics" aria-labelledby="admin-analytics-title">
      <div className="admin-analytics-head">
        <h1 id="admin-analytics-title">Analytics</h1>
        <label className="admin-range">
          <span>Range</span>
          <select value={days} onChange={(event) => setDays(Number(event.target.value))}>
            {RANGES.map((range) => (
              <option key={range} value={range}>
                Last {range} days
              </option>
            ))}
          </select>
        </label>
      </div>
      <AdminData query={figures} refusedTitle="Only administrators can read analytics" loadingLabel="Loading figures…">
        {(data) => <Dashboard figures={data} />}
      </AdminData>
    </section>
  );
}

function Dashboard({ figures }: { figures: AnalyticsDashboard }) {
  const dayList = useMemo(() => figures.days.map((row) => row.day), [figures]);
  const usersSeries = useMemo<DaySeries[]>(
    () => [
      { label: 'Daily active', values: figures.days.map((row) => row.activeUsers), color: '--primary' },
      { label: 'Weekly active', values: figures.days.map((row) => row.weeklyActiveUsers), color: '--success' },
    ],
    [figures],
  );
  const eventSeries = useMemo<DaySeries[]>(
    () => [
      { label: 'Events', values: figures.days.map((row) => row.events), color: '--primary', bars: true },
      { label: 'Sessions', values: figures.days.map((row) => row.sessions), color: '--warning' },
      { label: 'Errors', values: figures.days.map((row) => row.errors), color: '--danger' },
    ],
    [figures],
  );
  const today = figures.days.at(-1);
  const totals = { sessions: sum(figures.days.map((row) => row.sessions)), events: sum(figures.days.map((row) => row.events)), errors: sum(figures.days.map((row) => row.errors)) };

  return (
    <>
      <p className="muted admin-range-text">
        {figures.from} to {figures.to} (UTC days)
      </p>
      <dl className="admin-tiles" data-testid="analytics-tiles">
        <Tile label="Active today" value={today?.activeUsers ?? 0} />
        <Tile label="Active this week" value={today?.weeklyActiveUsers ?? 0} />
        <Tile label="Sessions" value={totals.sessions} />
        <Tile label="Events" value={totals.events} />
      </dl>

      <Section title="Active users" table="days" figures={figures}>
        <DayChart title="Daily and weekly active users" days={dayList} series={usersSeries} summary={`today ${today?.activeUsers ?? 0} daily, ${today?.weeklyActiveUsers ?? 0} weekly`} />
      </Section>
      <Section title="Sessions and events per day" table="days" figures={figures} hideDownload>
        <DayChart title="Events, sessions and errors per day" days={dayList} series={eventSeries} summary={`${totals.events} events, ${totals.sessions} sessions, ${totals.errors} errors in the range`} />
      </Section>
      <Section title="Funnel" table="funnel" figures={figures}>
        <Funnel figures={figures} />
      </Section>
      <Section title="Retention by week of sign-up" table="retention" figures={figures}>
        <Retention figures={figures} />
      </Section>
      <Section title="A/B tests" table="experiments" figures={figures}>
        <Experiments figures={figures} />
      </Section>
      <Section title="Errors" table="errors" figures={figures}>
        <Errors figures={figures} />
      </Section>
    </>
  );
}

function Tile({ label, value }: { label: string; value: number }) {
  return (
    <div className="card admin-tile">
      <dt>{label}</dt>
      <dd>{value.toLocaleString()}</dd>
    </div>
  );
}

function Section({ title, table, figures, hideDownload, children }: { title: string; table: DashboardTable; figures: AnalyticsDashboard; hideDownload?: boolean; children: React.ReactNode }) {
  const id = `analytics-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section className="card admin-section" aria-labelledby={id}>
      <div className="admin-section-head">
        <h2 id={id}>{title}</h2>
        {!hideDownload && (
          <button type="button" className="button button-ghost button-compact" onClick={() => download(`rally-${table}-${figures.from}-${figures.to}.csv`, dashboardCsv[table](figures))}>
            Download CSV<span className="visually-hidden"> of {title.toLowerCase()}</span>
          </button>
        )}
      </div>
      {children}
    </section>
  );
}

function download(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const FUNNEL_LABELS: Record<string, string> = { 'account.signup': 'Signed up', 'activity.join': 'Joined an activity', 'message.send': 'Sent a message' };

function Funnel({ figures }: { figures: AnalyticsDashboard }) {
  const first = figures.funnel[0]?.users ?? 0;
  return (
    <ol className="admin-funnel" data-testid="analytics-funnel">
      {figures.funnel.map((step) => {
        const share = first ? step.users / first : 0;
        return (
          <li key={step.name}>
            <div className="admin-funnel-label">
              <span>{FUNNEL_LABELS[step.name] ?? step.name}</span>
              <span>
                {step.users.toLocaleString()} {first ? `(${percentText(share)})` : ''}
              </span>
            </div>
            <div className="admin-bar" aria-hidden="true">
              <span style={{ width: `${share * 100}%` }} />
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function Retention({ figures }: { figures: AnalyticsDashboard }) {
  if (figures.retention.length === 0) return <p className="muted">Nobody signed up in this range.</p>;
  const weeks = Math.max(...figures.retention.map((cohort) => cohort.retained.length));
  return (
    <div className="admin-table-scroll" tabIndex={0} role="group" aria-label="Retention table">
      <table className="admin-table admin-retention" data-testid="analytics-retention">
        <thead>
          <tr>
            <th scope="col">Week of</th>
            <th scope="col">Users</th>
            {Array.from({ length: weeks }, (_, week) => (
              <th scope="col" key={week}>
                W{week}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {figures.retention.map((cohort) => (
            <tr key={cohort.week}>
              <th scope="row">{cohort.week.slice(5)}</th>
              <td>{cohort.users}</td>
              {Array.from({ length: weeks }, (_, week) => {
                const retained = cohort.retained[week];
                if (retained === undefined) return <td key={week} />;
                const share = cohort.users ? retained / cohort.users : 0;
                return (
                  <td key={week} className="admin-heat" style={{ '--share': share } as React.CSSProperties} title={`${retained} of ${cohort.users}`}>
                    {Math.round(share * 100)}%
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Experiments({ figures }: { figures: AnalyticsDashboard }) {
  if (figures.experiments.length === 0) return <p className="muted">No flag was shown to anyone in this range.</p>;
  return (
    <>
      {figures.experiments.map((experiment) => (
        <div key={experiment.flag} className="admin-experiment" data-testid="analytics-experiment">
          <h3>{experiment.flag}</h3>
          <p className="muted">Conversion: {FUNNEL_LABELS[experiment.conversion]?.toLowerCase() ?? experiment.conversion} after first seeing the variant; 95 % interval.</p>
          <ul className="admin-variant-list">
            {experiment.variants.map((variant) => (
              <li key={variant.variant} data-testid="analytics-variant">
                <div className="admin-funnel-label">
                  <strong>{variant.variant}</strong>
                  <span>
                    {variant.converted} of {variant.exposed} · {percentText(variant.rate)} ({percentText(variant.low)}–{percentText(variant.high)})
                  </span>
                </div>
                <div className="admin-interval" aria-hidden="true">
                  <span className="admin-interval-range" style={{ left: `${variant.low * 100}%`, width: `${(variant.high - variant.low) * 100}%` }} />
                  <span className="admin-interval-point" style={{ left: `${variant.rate * 100}%` }} />
                </div>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}

function Errors({ figures }: { figures: AnalyticsDashboard }) {
  if (figures.errors.length === 0) return <p className="muted">No errors in this range.</p>;
  return (
    <ul className="admin-errors" data-testid="analytics-errors">
      {figures.errors.map((error) => (
        <li key={error.message} data-testid="analytics-error">
          <details>
            <summary>
              <span className="admin-error-message">{error.message}</span>
              <span className="muted">
                {error.count}× · {error.users} {error.users === 1 ? 'person' : 'people'} · {error.screen} · {new Date(error.lastAt).toLocaleString()}
              </span>
            </summary>
            {error.stack && <pre className="admin-stack">{error.stack}</pre>}
          </details>
        </li>
      ))}
    </ul>
  );
}
