import { useLiveQuery } from 'dexie-react-hooks';
import { readTotalUnread } from '../../data/chat-reads';
import { useOptionalLocalData } from '../../data/local-data';
import './chat-list.css';

/** The number of unread messages across every conversation, as a badge (nothing when none). */
export function UnreadTotal() {
  const local = useOptionalLocalData();
  const total = useLiveQuery(() => (local ? readTotalUnread(local.db, local.userId) : 0), [local?.db, local?.userId], 0);
  if (!total) return null;
  return (
    <span className="unread-badge unread-badge-header" data-testid="unread-total" aria-label={`${total} unread messages`}>
      {total > 99 ? '99+' : total}
    </span>
  );
}
