import { Link } from 'react-router';
import { useLatestAnnouncement } from '../../data/chat-queries';
import { formatMessageTime } from './format-chat';
import './chat.css';

/** The newest announcement in the activity's room (its organizer's or a co-host's), pinned on the activity. */
export function LatestAnnouncement({ activityId }: { activityId: string }) {
  const latest = useLatestAnnouncement(activityId);
  if (!latest) return null;
  return (
    <aside className="latest-announcement" aria-label="Latest announcement" data-testid="latest-announcement">
      <p className="message-label">
        Announcement · <time dateTime={latest.createdAt}>{formatMessageTime(latest.createdAt)}</time>
      </p>
      <p dir="auto">{latest.body}</p>
      <Link to={`/chat/${activityId}`} className="link-button">
        Open the chat
      </Link>
    </aside>
  );
}
