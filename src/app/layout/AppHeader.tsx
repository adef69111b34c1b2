import { Link, NavLink, useNavigate } from 'react-router';
import { signOut, type SessionUser } from '../../net/auth-client';
import { Avatar } from '../../ui/Avatar';
import { ChatIcon, FlagIcon, PlusIcon, SignOutIcon } from '../../ui/icons';
import { UnreadTotal } from '../../features/chat/UnreadTotal';
import { OutboxStatus } from '../../features/outbox/OutboxStatus';
import { ConnectionIndicator } from './ConnectionIndicator';

export function AppHeader({ user }: { user: SessionUser }) {
  const navigate = useNavigate();

  async function handleSignOut() {
    await signOut();
    void navigate('/login', { replace: true });
  }

  return (
    <header className="app-header">
      <div className="app-header-inner">
        <Link to="/" className="brand" aria-label="Rally home">
          <FlagIcon />
          <span className="brand-name">Rally</span>
        </Link>
        <ConnectionIndicator />
        <OutboxStatus />
        <nav className="header-actions" aria-label="Main">
          <NavLink to="/chat" className="icon-button chats-link" aria-label="Chats" title="Chats" end>
            <ChatIcon />
            <UnreadTotal />
          </NavLink>
          <NavLink to="/activities/new" className="button button-primary button-compact">
            <PlusIcon />
            {/* On phones only the icon shows; the text stays for screen readers. */}
            <span className="label-wide">New activity</span>
          </NavLink>
          <NavLink to={`/profile/${user.id}`} className="header-avatar" aria-label={`Your profile (${user.displayName})`}>
            <Avatar userId={user.id} name={user.displayName} size="sm" />
          </NavLink>
          <button type="button" className="icon-button" onClick={() => void handleSignOut()} aria-label="Sign out" title="Sign out">
            <SignOutIcon />
          </button>
        </nav>
      </div>
    </header>
  );
}
