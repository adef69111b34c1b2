import type { ActivityView } from '../../../protocol';
import { useWrite } from './mutations';
import { InlineError } from '../../ui/feedback';
import { track } from '../../analytics/analytics';
import { FUNNEL_EVENTS } from '../../../protocol/analytics-names';
import './activity-detail.css';

export function JoinButton({ activity }: { activity: ActivityView }) {
  const write = useWrite();
  const { joined, isOwner } = activity.viewer;
  // The host is always a member and cannot leave; the screen already says who hosts.
  if (isOwner) return null;

  const full = activity.capacity !== null && activity.memberCount >= activity.capacity;
  return (
    <div className="join">
      <button
        type="button"
        className={`button ${joined ? 'button-secondary' : 'button-primary'}`}
        onClick={() => {
          if (!joined) track(FUNNEL_EVENTS.join, { visibility: activity.visibility });
          void write.run({ name: joined ? 'activity.leave' : 'activity.join', args: { id: activity.id } });
        }}
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
      <InlineError message={write.error} />
    </div>
  );
}
