import { Link, useParams } from 'react-router';
import { ApiError } from '../../net/api-error';
import { useSession } from '../../net/auth-client';
import { Avatar } from '../../ui/Avatar';
import { SettingsIcon } from '../../ui/icons';
import { EmptyState, LoadError, OfflinePlaceholder, Spinner } from '../../ui/feedback';
import { useDocumentTitle } from '../../ui/use-document-title';
import { ActivityCardList } from '../activities/ActivityCardList';
import { useActivityList, useKnownPerson } from '../../data/activity-queries';
import { NotFoundScreen } from '../../app/NotFoundScreen';
import { useUserProfile } from './queries';
import { PersonSafetyButton } from '../safety/PersonSafetyButton';
import '../activities/activity-card.css';
import './profile.css';

const memberSince = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });

export function ProfileScreen() {
  const { userId = '' } = useParams();
  const profile = useUserProfile(userId);
  // Offline, or while the server answers, the device's own knowledge of this person stands in.
  const known = useKnownPerson(userId);
  const sessionState = useSession();
  const isSelf = sessionState.status === 'signed-in' && sessionState.user.id === userId;
  const selfName = isSelf && sessionState.status === 'signed-in' ? sessionState.user.displayName : null;
  const person = profile.data
    ? { displayName: profile.data.displayName, createdAt: profile.data.createdAt, hosting: profile.data.activitiesOwned, joined: profile.data.activitiesJoined }
    : known
      ? { ...known, createdAt: null }
      : selfName
        ? { displayName: selfName, createdAt: null, hosting: 0, joined: 0 }
        : null;
  useDocumentTitle(person?.displayName ?? 'Profile');

  if (profile.isError && profile.error instanceof ApiError && profile.error.status === 404) return <NotFoundScreen />;
  if (!person) {
    if (profile.isPending) return profile.fetchStatus === 'paused' ? <OfflinePlaceholder /> : <Spinner />;
    return <LoadError error={profile.error} onRetry={() => void profile.refetch()} />;
  }

  return (
    <section className="page page-narrow">
      <div className="profile-header card">
        <Avatar userId={userId} name={person.displayName} size="lg" />
        <div>
          <h1 dir="auto">{person.displayName}</h1>
          <p className="muted">
            {isSelf ? 'You' : ''}
            {isSelf && person.createdAt ? ' · ' : ''}
            {person.createdAt ? `On Rally since ${memberSince.format(new Date(person.createdAt))}` : ''}
          </p>
        </div>
        <dl className="profile-stats">
          <div>
            <dt>Hosting</dt>
            <dd>{person.hosting}</dd>
          </div>
          <div>
            <dt>Joined</dt>
            <dd>{person.joined}</dd>
          </div>
        </dl>
        {isSelf && (
          <Link to="/settings" className="button button-secondary profile-settings-link">
            <SettingsIcon /> Settings and notifications
          </Link>
        )}
        {!isSelf && sessionState.status === 'signed-in' && <PersonSafetyButton person={{ userId, displayName: person.displayName }} />}
      </div>
      <h2 className="section-heading">{isSelf ? 'Activities you host' : <>Hosted by <bdi>{person.displayName}</bdi></>}</h2>
      <OwnedActivities userId={userId} />
    </section>
  );
}

function OwnedActivities({ userId }: { userId: string }) {
  const list = useActivityList({ ownedBy: userId });
  if (list.activities === undefined) return <Spinner />;
  if (list.activities.length === 0) return <EmptyState title="Nothing hosted yet" />;
  return <ActivityCardList activities={list.activities} hasMore={list.hasMore} onShowMore={list.showMore} />;
}
