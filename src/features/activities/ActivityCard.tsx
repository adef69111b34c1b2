import { Link } from 'react-router';
import type { ActivityView } from '../../../protocol';
import { LockIcon } from '../../ui/icons';
import { calendarParts, hasEnded } from './format';
import { PendingBadge } from '../outbox/PendingBadge';
import { LikeButton } from './LikeButton';
import { MemberCount } from './MemberCount';
import { WhenAndWhere } from './WhenAndWhere';
import './activity-meta.css';
import './activity-card.css';

/** `pending`: a change to it still waits for the server (the list reads that once for every card). */
export function ActivityCard({ activity, pending }: { activity: ActivityView; pending: boolean }) {
  const calendar = calendarParts(activity.startsAt);
  const ended = hasEnded(activity);
  return (
    <article className={`card activity-card${ended ? ' activity-card-ended' : ''}`} data-testid="activity-card" aria-label={activity.title}>
      {/* The card's contents, apart from its frame: a card off screen skips their style, layout and paint (activity-card.css). */}
      <div className="activity-card-content">
        <div className="calendar-chip" aria-hidden="true">
          <span className="calendar-month">{calendar.month}</span>
          <span className="calendar-day">{calendar.day}</span>
        </div>
        <div className="activity-card-body">
          <h2 className="activity-card-title" dir="auto">
            {/* The link's ::after covers the card, so the whole card opens the activity. */}
            <Link to={`/activities/${activity.id}`} className="stretched-link">
              {activity.title}
            </Link>
          </h2>
          {(activity.visibility === 'private' || ended || (activity.viewer.joined && !activity.viewer.isOwner) || pending) && (
            <div className="badges">
              {activity.visibility === 'private' && (
                <span className="badge badge-private">
                  <LockIcon /> Private
                </span>
              )}
              {activity.viewer.joined && !activity.viewer.isOwner && <span className="badge badge-going">Going</span>}
              {ended && <span className="badge">Ended</span>}
              {pending && <PendingBadge />}
            </div>
          )}
          <WhenAndWhere activity={activity} />
          <div className="activity-card-footer">
            <span className="owner-line">
              by {activity.viewer.isOwner ? 'you' : <bdi>{activity.ownerName}</bdi>}
            </span>
            <div className="activity-card-stats">
              <MemberCount activity={activity} />
              <LikeButton activity={activity} />
            </div>
          </div>
        </div>
      </div>
    </article>
  );
}
