import type { ActivityView } from '../../../protocol';
import { describeError } from '../../net/api-error';
import { useToggleJoin } from './mutations';

export function JoinButton({ activity }: { activity: ActivityView }) {
  const toggleJoin = useToggleJoin();
  const { joined, isOwner } = activity.viewer;
  // The host is always a member and cannot leave; the screen already says who hosts.
  if (isOwner) return null;

  const full = activity.capacity !== null && activity.memberCount >= activity.capacity;
  return (
    <div className="join">
      <button
        type="button"
        className={`button ${joined ? 'button-secondary' : 'button-primary'}`}
        onClick={() => toggleJoin.mutate({ activityId: activity.id, on: !joined })}
        disabled={!joined && full}
        aria-describedby={!joined && full ? `full-${activity.id}` : undefined}
      >
        {joined ? 'Leave' : 'Join'}
      </button>
      {!joined && full && (
        <span id={`full-${activity.id}`} className="muted">
          This activity is full.
        </span>
      )}
      {toggleJoin.isError && (
        <span className="inline-error" role="alert">
          {describeError(toggleJoin.error)}
        </span>
      )}
    </div>
  );
}
