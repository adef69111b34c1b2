import type { Activity } from '../../../protocol';
import { ClockIcon, PinIcon } from '../../ui/icons';
import { formatWhen, formatWhenLong } from './format';

interface WhenAndWhereProps {
  activity: Pick<Activity, 'startsAt' | 'endsAt' | 'location'>;
  /** The detail screen's larger list, whose time also tells its long form on hover. */
  large?: boolean;
}

/** When an activity is and (if it says) where, as the card and the detail screen list them. */
export function WhenAndWhere({ activity, large = false }: WhenAndWhereProps) {
  return (
    <ul className={large ? 'meta-list meta-list-large' : 'meta-list'}>
      <li>
        <ClockIcon />
        <time dateTime={activity.startsAt} title={large ? formatWhenLong(activity.startsAt) : undefined}>
          {formatWhen(activity)}
        </time>
      </li>
      {activity.location && (
        <li>
          <PinIcon />
          <span dir="auto">{activity.location}</span>
        </li>
      )}
    </ul>
  );
}
