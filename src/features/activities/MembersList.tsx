import { Link } from 'react-router';
import { useMembers } from '../../data/activity-queries';
import { useLocalUser } from '../../data/local-session';
import { Avatar } from '../../ui/Avatar';
import { useOpenDirect } from '../chat/chat-hooks';
import { Spinner } from '../../ui/feedback';
import './activity-meta.css';
import './activity-detail.css';

export function MembersList({ activityId }: { activityId: string }) {
  const members = useMembers(activityId);
  const me = useLocalUser();
  const openDirect = useOpenDirect();
  if (!members) return <Spinner label="Loading who's going…" />;

  return (
    <ul className="member-list" aria-label="Members">
      {members.map((member) => (
        <li key={member.userId}>
          <Link to={`/profile/${member.userId}`} className="member">
            <Avatar userId={member.userId} name={member.displayName} size="sm" />
            <span className="member-name" dir="auto">
              {member.displayName}
            </span>
          </Link>
          {member.role === 'owner' && <span className="badge badge-host">Host</span>}
          {me && member.userId !== me.userId && (
            <button
              type="button"
              className="link-button member-message"
              onClick={() => void openDirect({ userId: member.userId, displayName: member.displayName })}
              aria-label={`Message ${member.displayName}`}
            >
              Message
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
