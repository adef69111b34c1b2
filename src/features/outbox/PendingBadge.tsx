import type { ReactNode } from 'react';
import { useIsPending } from '../../outbox/use-outbox';
import './outbox.css';

/** "Pending": a change to the activity still waits for the server. */
export function PendingBadge() {
  return (
    <span className="badge badge-pending" data-testid="pending-badge" title="Saved on this device; not yet confirmed by Rally">
      Pending
    </span>
  );
}

/** The badge while any change to the activity still waits for the server; null otherwise. */
export function usePendingBadge(activityId: string): ReactNode {
  const pending = useIsPending(activityId);
  return pending ? <PendingBadge /> : null;
}
