import { Link } from 'react-router';
import { Avatar } from '../../ui/Avatar';
import { Spinner } from '../../ui/feedback';
import { useMembers } from './queries';

export function MembersList({ activityId }: { activityId: string }) {
  const members = useMembers(activityId);
  if (!members) return <Spinner label="Loading who's going…" />;

  return (
    <ul className="member-list" aria-label="Members">
      {members.map((member) => (
        <li key={member.userId}>
          <Link to={`/profile/${member.userId}`} className="member">
            <Avatar userId={member.userId} name={member.displayName} size="sm" />
            <span className="member-name">{member.displayName}</span>
          </Link>
          {member.role === 'owner' && <span className="badge badge-host">Host</span>}
        </li>
      ))}
    </ul>
  );
}
