import { Link } from 'react-router';
import { useIsSyncing, usePendingCount } from '../../outbox/use-outbox';
import { OutboxIcon } from '../../ui/icons';
import './outbox.css';

/** In the header: how many changes wait, whether they are going out now, and the way to the outbox. */
export function OutboxStatus() {
  const pending = usePendingCount();
  const syncing = useIsSyncing();
  return (
    <span className="outbox-status">
      {pending > 0 && (
        <span className="badge badge-pending" data-testid="pending-count">
          {pending} pending
        </span>
      )}
      <span data-testid="sync-state" role="status">
        {syncing ? 'Syncing…' : pending === 0 ? 'Synced' : ''}
      </span>
      <Link to="/outbox" className="button button-ghost button-compact outbox-link" aria-label="Outbox">
        <OutboxIcon />
        <span className="label-wide">Outbox</span>
      </Link>
    </span>
  );
}
