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
      <span className="visually-hidden-below-laptop" data-testid="sync-state" role="status">
        {syncing ? 'Syncing…' : pending === 0 ? 'Synced' : ''}
      </span>
      {/* The count rides on the link, so on phones it can be a badge on the icon: "3" shown, "Outbox 3 pending" read. */}
      <Link to="/outbox" className="button button-ghost button-compact outbox-link" title="Outbox">
        <OutboxIcon />
        <span className="outbox-label visually-hidden-below-laptop">Outbox</span>
        {pending > 0 && (
          <span className="badge badge-pending outbox-count" data-testid="pending-count">
            {pending}
            <span className="pending-word visually-hidden-below-laptop"> pending</span>
          </span>
        )}
      </Link>
    </span>
  );
}
