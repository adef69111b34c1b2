import { useState } from 'react';
import { Link } from 'react-router';
import { ROLE_BADGES, type Member } from '../../../protocol';
import { useMembers } from '../../data/activity-queries';
import { useLocalUser } from '../../data/local-session';
import { Avatar } from '../../ui/Avatar';
import { useOpenDirect } from '../chat/chat-hooks';
import { Spinner } from '../../ui/feedback';
import { hasAnyMemberAction, memberActionsFor, type MemberActionSet } from './member-actions';
import { useWrite } from './mutations';
import './activity-meta.css';
import './activity-detail.css';

/**
 * Who is going, with their roles ("Organizer", "Co-host"). Hosts manage members from here: the
 * organizer makes and unmakes co-hosts, hosts remove members (asked once more). Each is a write
 * through the outbox: shown at once, put back with the reason if the server refuses.
 */
export function MembersList({ activityId, title }: { activityId: string; title: string }) {
  const members = useMembers(activityId);
  const me = useLocalUser();
  const openDirect = useOpenDirect();
  const [managing, setManaging] = useState<string | null>(null);
  if (!members) return <Spinner label="Loading who's going…" />;
  const myRole = members.find((member) => member.userId === me?.userId)?.role ?? null;

  return (
    <ul className="member-list" aria-label="Members">
      {members.map((member) => {
        const actions = memberActionsFor(myRole, member.role, member.userId === me?.userId);
        const badge = ROLE_BADGES[member.role];
        return (
          <li key={member.userId} data-testid="member" data-role={member.role}>
            <Link to={`/profile/${member.userId}`} className="member">
              <Avatar userId={member.userId} name={member.displayName} size="sm" />
              <span className="member-name" dir="auto">
                {member.displayName}
              </span>
            </Link>
            {badge && <span className={`badge ${member.role === 'owner' ? 'badge-host' : 'badge-cohost'}`}>{badge}</span>}
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
            {hasAnyMemberAction(actions) && (
              <button
                type="button"
                className="icon-button member-manage"
                aria-label={`Manage ${member.displayName}`}
                aria-expanded={managing === member.userId}
                onClick={() => setManaging(managing === member.userId ? null : member.userId)}
              >
                ⋯
              </button>
            )}
            {managing === member.userId && (
              <MemberManagement activityId={activityId} title={title} member={member} actions={actions} onDone={() => setManaging(null)} />
            )}
          </li>
        );
      })}
    </ul>
  );
}

function MemberManagement({
  activityId,
  title,
  member,
  actions,
  onDone,
}: {
  activityId: string;
  title: string;
  member: Member;
  actions: MemberActionSet;
  onDone: () => void;
}) {
  const write = useWrite();
  const [confirming, setConfirming] = useState(false);
  const setRole = (role: 'cohost' | 'member') => {
    onDone();
    void write.start({ name: 'activity.setRole', args: { id: activityId, userId: member.userId, role } });
  };
  const remove = () => {
    onDone();
    void write.start({ name: 'activity.removeMember', args: { id: activityId, userId: member.userId } });
  };
  if (confirming) {
    return (
      <div className="member-actions" role="group" aria-label={`Remove ${member.displayName}?`}>
        <p className="member-actions-note">
          Remove <bdi>{member.displayName}</bdi> from “<bdi>{title}</bdi>”? They lose the chat and can come back only if invited.
        </p>
        <button type="button" className="button button-danger button-compact" onClick={remove}>
          Remove
        </button>
        <button type="button" className="button button-ghost button-compact" onClick={onDone}>
          Keep
        </button>
      </div>
    );
  }
  return (
    <div className="member-actions" role="group" aria-label={`Manage ${member.displayName}`}>
      {actions.makeCohost && (
        <button type="button" className="button button-secondary button-compact" onClick={() => setRole('cohost')}>
          Make co-host
        </button>
      )}
      {actions.removeCohost && (
        <button type="button" className="button button-secondary button-compact" onClick={() => setRole('member')}>
          Remove as co-host
        </button>
      )}
      {actions.remove && (
        <button type="button" className="button button-danger button-compact" onClick={() => setConfirming(true)}>
          Remove from activity
        </button>
      )}
    </div>
  );
}
