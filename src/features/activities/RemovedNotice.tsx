import { Link } from 'react-router';
import type { LocalRemoval } from '../../../device-db/local-db';
import { EmptyState } from '../../ui/feedback';

/**
 * What a person a host removed sees where the activity or its chat was: why it is gone, and that
 * only a host's invitation brings them back (they cannot join again on their own).
 */
export function RemovedNotice({ removal }: { removal: LocalRemoval }) {
  return (
    <section className="page page-narrow" data-testid="removed-notice">
      <EmptyState title={`You were removed from “${removal.title}”`}>
        <p className="muted">A host of this activity removed you. Its chat is gone from this device, and you can join again only if the organizer invites you back.</p>
        <Link to="/" className="button button-secondary">
          Back to the feed
        </Link>
      </EmptyState>
    </section>
  );
}
