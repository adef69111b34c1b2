import type { ActivityView } from '../../../protocol';
import { useWrite } from './mutations';
import { InlineError } from '../../ui/feedback';
import './activity-detail.css';

/** Members (the host too) say they have arrived; the count shows who has. */
export function CheckinButton({ activity }: { activity: ActivityView }) {
  const write = useWrite();
  const { joined, checkedIn } = activity.viewer;
  return (
    <div className="checkin">
      {joined && (
        <button
          type="button"
          className="button button-secondary"
          disabled={checkedIn}
          onClick={() => void write.run({ name: 'activity.checkin', args: { id: activity.id } })}
        >
          {checkedIn ? 'Checked in' : 'Check in'}
        </button>
      )}
      <span className="muted" data-testid="checkin-count">
        {activity.checkinCount} checked in
      </span>
      <InlineError message={write.error} />
    </div>
  );
}
