import { Link } from 'react-router';
import { dismissAnnouncement, useLiveAnnouncements } from '../../data/announcements';
import { useConnectionState, useNavigatorOnline } from '../../net/connection-state';
import { useReconnectAttempt } from '../../net/socket-state';
import './banners.css';

/** Says what offline means for what the user sees right now, and when the live link is being restored. */
export function StatusBanners({ offlineSession }: { offlineSession: boolean }) {
  const connection = useConnectionState();
  const attempt = useReconnectAttempt();
  const networkUp = useNavigatorOnline();
  // The device has a network but the server is not answering: say that we are on it.
  if (networkUp && attempt > 0 && connection !== 'online') {
    return (
      <div className="banner banner-reconnecting" role="status" data-testid="reconnecting">
        Reconnecting… (attempt {attempt})
      </div>
    );
  }
  if (connection !== 'offline') return null;
  return (
    <div className="banner banner-offline">
      You're offline.{' '}
      <span className="banner-more">
        {offlineSession
          ? "You're seeing what's saved on this device; Rally reconnects when the network returns."
          : "You're seeing what's saved on this device; it catches up when the network returns."}
      </span>
    </div>
  );
}

/** Organizer announcements that arrived live: shown until dismissed or opened. */
export function AnnouncementBanners() {
  const announcements = useLiveAnnouncements();
  if (announcements.length === 0) return null;
  return (
    <div className="announcements" role="status" aria-live="polite">
      {announcements.map((message) => (
        <div key={message.id} className="banner banner-announcement" data-testid="announcement">
          <span>
            <strong>
              <bdi>{message.senderName}</bdi> announced:
            </strong>{' '}
            <bdi>{message.body}</bdi>
          </span>
          <span className="banner-actions">
            <Link to={`/chat/${message.conversationId}`} className="link-button" onClick={() => dismissAnnouncement(message.id)}>
              Open
            </Link>
            <button type="button" className="link-button" onClick={() => dismissAnnouncement(message.id)} aria-label="Dismiss announcement">
              Dismiss
            </button>
          </span>
        </div>
      ))}
    </div>
  );
}
