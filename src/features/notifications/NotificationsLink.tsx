import { NavLink } from 'react-router';
import { useUnreadNotificationCount } from '../../data/push-queries';
import { BellIcon } from '../../ui/icons';
import './notifications.css';

/** The header's way to the notification center, with the unread count. */
export function NotificationsLink() {
  const unread = useUnreadNotificationCount();
  const label = unread ? `Notifications (${unread} unread)` : 'Notifications';
  return (
    <NavLink to="/notifications" className="icon-button notifications-link" aria-label={label} title="Notifications" end>
      <BellIcon />
      {unread > 0 && (
        <span className="unread-badge unread-badge-header" data-testid="unread-notifications">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </NavLink>
  );
}
