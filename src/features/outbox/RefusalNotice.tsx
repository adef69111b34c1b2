import { Link } from 'react-router';
import { useFailedEntries } from '../../outbox/use-outbox';
import { describeEntry } from './describe-entry';
import './outbox.css';

/** Shown on every screen while a change could not be saved: what, why, and where to deal with it. */
export function RefusalNotice() {
  const failed = useFailedEntries();
  const latest = failed?.at(-1);
  if (!failed || !latest) return null;
  return (
    <div className="banner banner-error refusal-notice" role="alert" data-testid="refusal-notice">
      {/* Two lines at most: the whole story is in the outbox, one tap away. */}
      <span className="refusal-text clamp-two-lines">
        Not saved: {describeEntry(latest, () => undefined)} — {latest.error?.message ?? 'unknown reason'}.{' '}
        {failed.length > 1 && `${failed.length} changes need attention.`}
      </span>
      <Link to="/outbox" className="link-button refusal-review">
        Review
      </Link>
    </div>
  );
}
