import { useConnectionState, type ConnectionState } from '../../net/connection-state';
import './connection.css';

const labels: Record<ConnectionState, string> = {
  online: 'Online',
  connecting: 'Connecting…',
  offline: 'Offline',
};

export function ConnectionIndicator() {
  const state = useConnectionState();
  return (
    <span className={`connection connection-${state}`} role="status" data-testid="connection">
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label visually-hidden-on-phone">{labels[state]}</span>
    </span>
  );
}
