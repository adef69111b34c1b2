import { Link, NavLink } from 'react-router';
import type { SessionUser } from '../../net/auth-client';
import { Avatar } from '../../ui/Avatar';
import { ChatIcon, FlagIcon, PlusIcon } from '../../ui/icons';
import { UnreadTotal } from '../../features/chat/UnreadTotal';
import { OutboxStatus } from '../../features/outbox/OutboxStatus';
import { NotificationsLink } from '../../features/notifications/NotificationsLink';
import { ConnectionIndicator } from './ConnectionIndicator';
import './header.css';
import { SignOutButton } from './SignOutButton';

export function AppHeader({ user }: { user: SessionUser }) {
  return (
    <header className="app-header">
      <div className="app-header-inner">
        {/* On phones the connection shows as a dot on the logo; the banners below say what it means. */}
        <span className="brand-cluster">
          <Link to="/" className="brand" aria-label="Rally home">
            <FlagIcon />
            <span className="brand-name visually-hidden-on-phone">Rally</span>
          </Link>
          <ConnectionIndicator />
        </span>
        <nav className="header-actions" aria-label="Main">
          <OutboxStatus />
          <NavLink to="/chat" className="icon-button chats-link" aria-label="Chats" title="Chats" end>
            <ChatIcon />
            <UnreadTotal />
          </NavLink>
          <NotificationsLink />
          <NavLink to="/activities/new" className="button button-primary button-compact new-activity-link" title="New activity">
            <PlusIcon />
            {/* On phones only the icon shows; the text stays for screen readers. */}
            <span className="label-wide visually-hidden-below-laptop">New activity</span>
          </NavLink>
          <NavLink to={`/profile/${user.id}`} className="header-avatar" title="Your profile">
            <Avatar userId={user.id} name={user.displayName} size="sm" />
            {/* Named by hidden text rather than aria-label: a label that leaves out the visible initials fails WCAG's "label in name". */}
            <span className="visually-hidden">Your profile ({user.displayName})</span>
          </NavLink>
          <SignOutButton />
        </nav>
      </div>
    </header>
  );
}
