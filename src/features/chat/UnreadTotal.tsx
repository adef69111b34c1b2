import { useTotalUnread } from '../../data/chat-queries';
import './chat-list.css';

/** The number of unread messages across every conversation, as a badge (nothing when none). */
export function UnreadTotal() {
  const total = useTotalUnread();
  if (!total) return null;
  return (
    <span className="unread-badge unread-badge-header" data-testid="unread-total" aria-label={`${total} unread messages`}>
      {total > 99 ? '99+' : total}
    </span>
  );
}
