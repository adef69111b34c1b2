import { useParams } from 'react-router';
import { ApiError } from '../../net/api-error';
import { useSession } from '../../net/auth-client';
import { Avatar } from '../../ui/Avatar';
import { EmptyState, LoadError, OfflinePlaceholder, Spinner } from '../../ui/feedback';
import { useDocumentTitle } from '../../ui/use-document-title';
import { ActivityCard } from '../activities/ActivityCard';
import { useActivityList } from '../activities/queries';
import { NotFoundScreen } from '../../app/NotFoundScreen';
import { useUserProfile } from './queries';

const memberSince = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });

export function ProfileScreen() {
  const { userId = '' } = useParams();
  const profile = useUserProfile(userId);
  const sessionState = useSession();
  const isSelf = sessionState.status === 'signed-in' && sessionState.user.id === userId;
  useDocumentTitle(profile.data?.displayName ?? 'Profile');

  if (profile.isPending) return profile.fetchStatus === 'paused' ? <OfflinePlaceholder /> : <Spinner />;
  if (profile.isError) {
    if (profile.error instanceof ApiError && profile.error.status === 404) return <NotFoundScreen />;
    return <LoadError error={profile.error} onRetry={() => void profile.refetch()} />;
  }

  const user = profile.data;
  return (
    <section className="page page-narrow">
      <div className="profile-header card">
        <Avatar userId={user.id} name={user.displayName} size="lg" />
        <div>
          <h1>{user.displayName}</h1>
          <p className="muted">
            {isSelf ? 'You · ' : ''}On Rally since {memberSince.format(new Date(user.createdAt))}
          </p>
        </div>
        <dl className="profile-stats">
          <div>
            <dt>Hosting</dt>
            <dd>{user.activitiesOwned}</dd>
          </div>
          <div>
            <dt>Joined</dt>
            <dd>{user.activitiesJoined}</dd>
          </div>
        </dl>
      </div>
      <h2 className="section-heading">{isSelf ? 'Activities you host' : `Hosted by ${user.displayName}`}</h2>
      <OwnedActivities userId={user.id} />
    </section>
  );
}

function OwnedActivities({ userId }: { userId: string }) {
  const list = useActivityList({ ownedBy: userId });
  if (list.isPending) return list.fetchStatus === 'paused' ? <OfflinePlaceholder /> : <Spinner />;
  if (list.isError) return <LoadError error={list.error} onRetry={() => void list.refetch()} />;
  const activities = list.data.pages.flatMap((page) => page.items);
  if (activities.length === 0) return <EmptyState title="Nothing hosted yet" />;
  return (
    <ul className="activity-list">
      {activities.map((activity) => (
        <li key={activity.id}>
          <ActivityCard activity={activity} />
        </li>
      ))}
    </ul>
  );
}
