import type { ActivityView } from '../../../protocol';
import { HeartIcon } from '../../ui/icons';
import { describeError } from '../../net/api-error';
import { useToggleLike } from './mutations';

export function LikeButton({ activity, showLabel = false }: { activity: ActivityView; showLabel?: boolean }) {
  const toggleLike = useToggleLike();
  const liked = activity.viewer.liked;
  return (
    <span className="like">
      <button
        type="button"
        className={`like-button${liked ? ' like-button-on' : ''}`}
        aria-pressed={liked}
        aria-label={liked ? 'Unlike' : 'Like'}
        onClick={() => toggleLike.mutate({ activityId: activity.id, on: !liked })}
      >
        <HeartIcon filled={liked} />
        {showLabel && <span aria-hidden="true">{liked ? 'Liked' : 'Like'}</span>}
      </button>
      <span className="like-count" data-testid="like-count">
        {activity.likeCount}
      </span>
      <span className="visually-hidden">{activity.likeCount === 1 ? 'like' : 'likes'}</span>
      {toggleLike.isError && (
        <span className="inline-error" role="alert">
          {describeError(toggleLike.error)}
        </span>
      )}
    </span>
  );
}
