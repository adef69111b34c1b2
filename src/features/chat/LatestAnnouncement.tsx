import { Link } from 'react-router';
import { useLiveQuery } from 'dexie-react-hooks';
import { useOptionalLocalData } from '../../data/local-data';
import { formatMessageTime } from './format-chat';
import './chat.css';

/** The organizer's newest announcement in the activity's room, pinned on the activity. */
export function LatestAnnouncement({ activityId }: { activityId: string }) {
  const local = useOptionalLocalData();
  const latest = useLiveQuery(
    () =>
      local?.db.messages
        .where('[conversationId+seq]')
        .between([activityId, 0], [activityId, Number.MAX_SAFE_INTEGER], true, true)
        .reverse()
        .filter((message) => message.kind === 'announcement')
        .first(),
    [local?.db, activityId],
  );
  if (!latest) return null;
  return (
    <aside className="latest-announcement" aria-label="Latest announcement" data-testid="latest-announcement">
      <p className="message-label">
        Announcement · <time dateTime={latest.createdAt}>{formatMessageTime(latest.createdAt)}</time>
      </p>
      <p>{latest.body}</p>
      <Link to={`/chat/${activityId}`} className="link-button">
        Open the chat
      </Link>
    </aside>
  );
}
