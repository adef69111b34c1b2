import type { ActivityView } from '../../../protocol';
import { HeartIcon } from '../../ui/icons';
import { useWrite } from './mutations';
import { InlineError } from '../../ui/feedback';
import './activity-meta.css';

export function LikeButton({ activity, showLabel = false }: { activity: ActivityView; showLabel?: boolean }) {
  const write = useWrite();
  const liked = activity.viewer.liked;
  return (
    <span className="like">
      <button
        type="button"
        className={`like-button pill-quiet${liked ? ' like-button-on' : ''}`}
        aria-pressed={liked}
        aria-label={liked ? 'Unlike' : 'Like'}
        onClick={() => void write.run({ name: liked ? 'activity.unlike' : 'activity.like', args: { id: activity.id } })}
      >
        <HeartIcon filled={liked} />
        {showLabel && <span aria-hidden="true">{liked ? 'Liked' : 'Like'}</span>}
      </button>
      <span className="like-count" data-testid="like-count">
        {activity.likeCount}
      </span>
      <span className="visually-hidden">{activity.likeCount === 1 ? 'like' : 'likes'}</span>
      <InlineError message={write.error} />
    </span>
  );
}
