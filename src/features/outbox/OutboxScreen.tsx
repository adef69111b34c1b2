import { useActivityTitles } from '../../data/activity-queries';
import type { OutboxEntry } from '../../../device-db/local-db';
import { useOutbox } from '../../outbox/outbox-context';
import { useOutboxEntries } from '../../outbox/use-outbox';
import { EmptyState, Spinner } from '../../ui/feedback';
import { useDocumentTitle } from '../../ui/use-document-title';
import { describeEntry } from './describe-entry';
import './outbox.css';

/** What this device still has to send, and what could not be saved, with retry and discard. */
export function OutboxScreen() {
  useDocumentTitle('Outbox');
  const entries = useOutboxEntries();
  const titles = useActivityTitles();
  if (!entries) return <Spinner />;
  const titleOf = (id: string) => titles?.get(id);
  const failed = entries.filter((entry) => entry.status === 'failed');
  const pending = entries.filter((entry) => entry.status === 'pending');

  return (
    <section className="page page-narrow">
      <h1>Outbox</h1>
      <h2>Not saved</h2>
      {failed.length === 0 ? (
        <p className="muted">Nothing failed.</p>
      ) : (
        <ul className="outbox-list" aria-label="Failed changes">
          {failed.map((entry) => (
            <FailedItem key={entry.mutationId} entry={entry} label={describeEntry(entry, titleOf)} />
          ))}
        </ul>
      )}
      <h2>Waiting to be sent</h2>
      {pending.length === 0 ? (
        <EmptyState title="Everything is sent" />
      ) : (
        <ul className="outbox-list" aria-label="Pending changes">
          {pending.map((entry) => (
            <li key={entry.mutationId} className="outbox-item" data-testid="outbox-pending">
              <span>{describeEntry(entry, titleOf)}</span> <span className="badge badge-pending">Pending</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function FailedItem({ entry, label }: { entry: OutboxEntry; label: string }) {
  const outbox = useOutbox();
  return (
    <li className="outbox-item card" data-testid="outbox-failed">
      <p>
        <strong>{label}</strong>
      </p>
      <p className="inline-error">{entry.error?.message ?? 'Not saved.'}</p>
      <div className="alert-actions">
        <button type="button" className="button button-primary button-compact" onClick={() => void outbox?.retry(entry.mutationId)}>
          Retry
        </button>
        <button type="button" className="button button-ghost button-compact" onClick={() => void outbox?.discard(entry.mutationId)}>
          Discard
        </button>
      </div>
    </li>
  );
}
