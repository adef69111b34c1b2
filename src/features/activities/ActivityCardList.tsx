import type { ActivityView } from '../../../protocol';
import { usePendingActivityIds } from '../../outbox/use-outbox';
import { ActivityCard } from './ActivityCard';

/** Activities as cards, with "Show more" while the list has more. */
export function ActivityCardList({ activities, hasMore, onShowMore }: { activities: readonly ActivityView[]; hasMore: boolean; onShowMore(): void }) {
  const pendingIds = usePendingActivityIds();
  return (
    <>
      <ul className="activity-list">
        {activities.map((activity) => (
          <li key={activity.id}>
            <ActivityCard activity={activity} pending={pendingIds.has(activity.id)} />
          </li>
        ))}
      </ul>
      {hasMore && (
        <button type="button" className="button button-secondary button-block load-more" onClick={onShowMore}>
          Show more
        </button>
      )}
    </>
  );
}
