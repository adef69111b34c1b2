import type { ActivityView } from '../../../protocol';
import { PeopleIcon } from '../../ui/icons';
import './activity-meta.css';

/** "3 going" or "3/10 going"; the bare number carries the test id. */
export function MemberCount({ activity }: { activity: Pick<ActivityView, 'memberCount' | 'capacity'> }) {
  const full = activity.capacity !== null && activity.memberCount >= activity.capacity;
  return (
    <span className={`member-count${full ? ' member-count-full' : ''}`}>
      <PeopleIcon />
      <span>
        <span data-testid="member-count">{activity.memberCount}</span>
        {activity.capacity !== null && `/${activity.capacity}`} going
        {full && <span className="visually-hidden"> (full)</span>}
      </span>
    </span>
  );
}
