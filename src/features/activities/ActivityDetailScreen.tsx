import { Link, useParams } from 'react-router';
import type { ActivityView } from '../../../protocol';
import { Avatar } from '../../ui/Avatar';
import { NotOnDevice, Spinner } from '../../ui/feedback';
import { ArrowLeftIcon, ChatIcon, LockIcon } from '../../ui/icons';
import { useDocumentTitle } from '../../ui/use-document-title';
import { usePendingBadge } from '../outbox/PendingBadge';
import { CheckinButton } from './CheckinButton';
import { DeleteActivityButton } from './DeleteActivityButton';
import { InvitePanel } from './InvitePanel';
import { JoinButton } from './JoinButton';
import { LikeButton } from './LikeButton';
import { MemberCount } from './MemberCount';
import { MembersList } from './MembersList';
import { WhenAndWhere } from './WhenAndWhere';
import { useActivity, useHasSynced, useMembers } from '../../data/activity-queries';
import { useActivityRoom } from './use-activity-room';
import { useStandingRemoval } from '../../data/removal-queries';
import { RemovedNotice } from './RemovedNotice';
import { LatestAnnouncement } from '../chat/LatestAnnouncement';
import './activity-meta.css';
import './activity-detail.css';

export function ActivityDetailScreen() {
  const { activityId = '' } = useParams();
  const activity = useActivity(activityId);
  const hasSynced = useHasSynced();
  const removal = useStandingRemoval(activityId);
  useActivityRoom(activityId);
  useDocumentTitle(activity?.title ?? 'Activity');

  if (activity === undefined || removal === undefined) return <Spinner label="Loading activity…" />;
  // Removed by a host (and not a member again): say so, rather than an activity they cannot join.
  if (removal && !activity?.viewer.joined) return <RemovedNotice removal={removal} />;
  if (activity === null) {
    return (
      <NotOnDevice hasSynced={hasSynced} syncingLabel="Syncing your activities…" title="This activity isn't available">
        <p className="muted">It may have been deleted, or it's private.</p>
        <Link to="/" className="button button-secondary">
          Back to the feed
        </Link>
      </NotOnDevice>
    );
  }
  return <ActivityDetail activity={activity} />;
}

function ActivityDetail({ activity }: { activity: ActivityView }) {
  const members = useMembers(activity.id);
  const memberIds = new Set((members ?? []).map((member) => member.userId));
  const { isOwner } = activity.viewer;
  const pendingBadge = usePendingBadge(activity.id);

  return (
    <article className="page detail">
      <Link to="/" className="back-link">
        <ArrowLeftIcon /> All activities
      </Link>
      <div className="detail-grid">
        <div className="detail-main card">
          <div className="detail-badges">
            {activity.visibility === 'private' && (
              <span className="badge badge-private">
                <LockIcon /> Private
              </span>
            )}
            {activity.viewer.invited && !activity.viewer.joined && <span className="badge badge-going">You're invited</span>}
            {pendingBadge}
          </div>
          <h1 className="detail-title" dir="auto">{activity.title}</h1>
          <Link to={`/profile/${activity.ownerId}`} className="host-line">
            <Avatar userId={activity.ownerId} name={activity.ownerName} size="sm" />
            <span>
              Hosted by <strong>{isOwner ? 'you' : <bdi>{activity.ownerName}</bdi>}</strong>
            </span>
          </Link>
          <WhenAndWhere activity={activity} large />
          {activity.description ? (
            <p className="detail-description" dir="auto">{activity.description}</p>
          ) : (
            <p className="muted">No description yet.</p>
          )}
          <div className="detail-actions">
            <JoinButton activity={activity} />
            <LikeButton activity={activity} showLabel />
            <CheckinButton activity={activity} />
            {(activity.viewer.joined || isOwner) && (
              <Link to={`/chat/${activity.id}`} className="button button-ghost chat-link">
                <ChatIcon /> Chat
              </Link>
            )}
          </div>
          {(activity.viewer.joined || isOwner) && <LatestAnnouncement activityId={activity.id} />}
          {isOwner && (
            <div className="owner-actions">
              <Link to={`/activities/${activity.id}/edit`} className="button button-secondary">
                Edit
              </Link>
              <DeleteActivityButton activityId={activity.id} />
            </div>
          )}
        </div>
        <aside className="detail-side">
          <section className="panel" aria-labelledby="going-heading">
            <h2 id="going-heading" className="panel-heading">
              Who's going <MemberCount activity={activity} />
            </h2>
            <MembersList activityId={activity.id} title={activity.title} />
          </section>
          {/* A public activity's too: inviting someone a host removed is what lets them join again. */}
          {isOwner && <InvitePanel activityId={activity.id} memberIds={memberIds} />}
        </aside>
      </div>
    </article>
  );
}
