import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { EmptyState, Spinner } from '../../ui/feedback';
import { SearchInput } from '../../ui/SearchInput';
import { useDocumentTitle } from '../../ui/use-document-title';
import { ActivityCardList } from './ActivityCardList';
import { useActivityList, useHasSynced, type ActivityListState } from '../../data/activity-queries';
import './activity-card.css';
import './feed.css';

type FeedTab = 'feed' | 'mine';

const tabs: { id: FeedTab; label: string }[] = [
  { id: 'feed', label: 'Feed' },
  { id: 'mine', label: 'Mine' },
];

export function FeedScreen() {
  const [searchParams, setSearchParams] = useSearchParams();
  const tab: FeedTab = searchParams.get('tab') === 'mine' ? 'mine' : 'feed';
  useDocumentTitle(tab === 'mine' ? 'My activities' : null);

  function selectTab(next: FeedTab) {
    setSearchParams(next === 'feed' ? {} : { tab: next }, { replace: true });
  }

  return (
    <section className="page">
      <div className="page-heading">
        <h1>{tab === 'mine' ? 'Your plans' : "What's happening"}</h1>
      </div>
      <div className="tabs" role="tablist" aria-label="Activities">
        {tabs.map(({ id, label }) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls="feed-panel"
            className="tab pill-quiet"
            onClick={() => selectTab(id)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
                const other = id === 'feed' ? 'mine' : 'feed';
                selectTab(other);
                document.getElementById(`tab-${other}`)?.focus();
              }
            }}
            tabIndex={tab === id ? 0 : -1}
          >
            {label}
          </button>
        ))}
      </div>
      <div id="feed-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        <ActivityList scope={tab} />
      </div>
    </section>
  );
}

function ActivityList({ scope }: { scope: FeedTab }) {
  const [search, setSearch] = useState('');
  const list = useActivityList(scope, search);
  const hasSynced = useHasSynced();

  return (
    <>
      <div className="feed-search">
        <SearchInput id="feed-search-input" label="Search activities" hideLabel placeholder="Search by title, place or host" value={search} onSearch={setSearch} />
      </div>
      <ActivityListBody scope={scope} list={list} searching={search.trim() !== ''} hasSynced={hasSynced} />
    </>
  );
}

function ActivityListBody({
  scope,
  list,
  searching,
  hasSynced,
}: {
  scope: FeedTab;
  list: ActivityListState;
  searching: boolean;
  hasSynced: boolean | undefined;
}) {
  const activities = list.activities;
  if (activities === undefined) return <Spinner label="Loading activities…" />;
  if (activities.length === 0) {
    if (!hasSynced) return <Spinner label="Syncing your activities…" />;
    if (searching) return <EmptyState title="Nothing matches that search" />;
    return (
      <EmptyState title={scope === 'mine' ? "You haven't joined anything yet" : 'Nothing planned yet'}>
        <p className="muted">
          {scope === 'mine' ? 'Join something from the feed, or start your own.' : 'Be the first: start something and invite people along.'}
        </p>
        <Link to="/activities/new" className="button button-secondary">
          Plan something
        </Link>
      </EmptyState>
    );
  }

  return <ActivityCardList activities={activities} hasMore={list.hasMore} onShowMore={list.showMore} />;
}
