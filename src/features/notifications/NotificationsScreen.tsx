import { Link } from 'react-router';
import type { LocalNotification } from '../../../device-db/local-db';
import { useLocalUser } from '../../data/local-session';
import { useNotifications } from '../../data/push-queries';
import { useOutbox } from '../../outbox/outbox-context';
import { Spinner } from '../../ui/feedback';
import { useDocumentTitle } from '../../ui/use-document-title';
import { formatMessageTime } from '../chat/format-chat';
import './notifications.css';

/**
 * Every notification the server made for the user, read from the device (so offline too). Opening
 * one marks it read; "Mark all read" reads everything made up to now, on every device of theirs.
 */
export function NotificationsScreen() {
  useDocumentTitle('Notifications');
  if (!useLocalUser()) return <Spinner label="Opening your notifications…" />;
  return <NotificationList />;
}

function NotificationList() {
  const notifications = useNotifications();
  const outbox = useOutbox();
  if (notifications === undefined) return <Spinner label="Opening your notifications…" />;
  const unread = notifications.filter((row) => row.readAt === null);

  const markRead = (row: LocalNotification) => {
    if (row.readAt === null) void outbox?.mutate({ name: 'notification.read', args: { ids: [row.id] } }).catch(() => undefined);
  };
  const markAllRead = () => void outbox?.mutate({ name: 'notification.readAll', args: { upTo: new Date().toISOString() } }).catch(() => undefined);

  return (
    <section className="page page-narrow notifications" aria-labelledby="notifications-title">
      <header className="notifications-header">
        <h1 id="notifications-title">Notifications</h1>
        <button type="button" className="button button-secondary button-compact" onClick={markAllRead} disabled={unread.length === 0}>
          Mark all read
        </button>
      </header>
      {notifications.length === 0 ? (
        <div className="empty-state">
          <p className="empty-title">Nothing yet</p>
          <p className="muted">Announcements, activity updates and invitations show up here.</p>
        </div>
      ) : (
        <ul className="notification-list" data-testid="notification-list">
          {notifications.map((row) => (
            <li key={row.id}>
              <Link
                to={row.url}
                className={`notification-item${row.readAt === null ? ' notification-unread' : ''}`}
                data-testid="notification"
                data-read={row.readAt === null ? 'false' : 'true'}
                onClick={() => markRead(row)}
              >
                <span className="notification-title">{row.title}</span>
                <span className="notification-body muted">{row.body}</span>
                <time className="notification-time muted" dateTime={row.createdAt}>
                  {formatMessageTime(row.createdAt)}
                </time>
                {row.readAt === null && <span className="visually-hidden">Unread</span>}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
