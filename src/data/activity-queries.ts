import { useLiveQuery } from './live-query';
import { useEffect, useState } from 'react';
import type { ActivityView, Member } from '../../protocol';
import { readActivity, readActivityList, readHasSynced, readKnownPerson, readMembers, type ListScope } from './activity-reads';
import { session } from '../net/auth-client';
import { feedAtStart, rememberFeed } from './feed-snapshot';
import { useScreenShownWhen } from './first-screen';
import { useLocalSession } from './local-session';

/**
 * The only way screens read activities: live queries over the device's database, which the sync
 * engine and the outbox keep current. `undefined` means "still reading" (a few milliseconds).
 */

const PAGE = 30;
/**
 * What fills the first screen (a tall phone's, or two columns on a laptop): a list's first read
 * that finds anything renders only these, and the rest of its page follows at once. Thirty cards
 * made the first render of a warm start about three times as long as the ones anyone can see; on
 * a first sync the list is empty at first, and its cards arrive while the sync keeps the page busy.
 */
const FIRST_SCREENFUL = 10;

export interface ActivityListState {
  activities: ActivityView[] | undefined;
  hasMore: boolean;
  showMore(): void;
}

export function useActivityList(scope: ListScope, search = ''): ActivityListState {
  const local = useLocalSession();
  const [limit, setLimit] = useState(FIRST_SCREENFUL);
  const scopeKey = typeof scope === 'string' ? scope : `owned-by:${scope.ownedBy}`;
  const result = useLiveQuery(
    () => (local ? readActivityList(local.db, local.userId, scope, limit, search) : undefined),
    [local, scopeKey, limit, search],
  );
  useScreenShownWhen(result !== undefined);
  const firstScreenful = limit < PAGE;
  useEffect(() => {
    if (result && result.items.length > 0 && firstScreenful) setLimit(PAGE);
  }, [result, firstScreenful]);
  // A start paints the feed as it last showed (feed-snapshot.ts) until its own read answers: the
  // signed-in user is known before their database is open. Taken once, at mount: never shown again
  // once this list has read the database, so a later tab switch does not flash an older feed.
  const isFeed = scope === 'feed' && search === '';
  // Read, not subscribed: a token turning ready or offline at start must not re-render the lists.
  const [lastStart, setLastStart] = useState(() => {
    const state = session.get();
    return isFeed && state.status === 'signed-in' ? { userId: state.user.id, items: feedAtStart(state.user.id) } : null;
  });
  useEffect(() => {
    if (result !== undefined) setLastStart(null);
    if (result && isFeed && local) rememberFeed(local.userId, result.items.slice(0, FIRST_SCREENFUL));
  }, [result, isFeed, local]);
  // Once a database is open, the copy must be its owner's (a sign-out replaces the session).
  const fromLastStart = isFeed && lastStart && (!local || local.userId === lastStart.userId) ? lastStart.items : undefined;
  return {
    activities: result?.items ?? fromLastStart,
    // Only a whole page offers more: the first screenful is followed by the rest of its page anyway.
    hasMore: !firstScreenful && (result?.hasMore ?? false),
    showMore: () => setLimit((n) => n + PAGE),
  };
}

/** The activity, null when this device does not hold it, undefined while reading. */
export function useActivity(activityId: string): ActivityView | null | undefined {
  const local = useLocalSession();
  const activity = useLiveQuery(() => (local ? readActivity(local.db, local.userId, activityId) : undefined), [local, activityId]);
  useScreenShownWhen(activity !== undefined);
  return activity;
}

export function useMembers(activityId: string): Member[] | undefined {
  const local = useLocalSession();
  return useLiveQuery(() => (local ? readMembers(local.db, activityId) : undefined), [local, activityId]);
}

/** False until the first full sync has completed on this device. */
export function useHasSynced(): boolean | undefined {
  const local = useLocalSession();
  return useLiveQuery(() => (local ? readHasSynced(local.db) : undefined), [local]);
}

/** What this device knows of a person from the activities it holds. */
export function useKnownPerson(userId: string) {
  const local = useLocalSession();
  return useLiveQuery(() => (local ? readKnownPerson(local.db, userId) : null), [local, userId]);
}

/** Every activity's title by id, for naming what waits in the outbox. */
export function useActivityTitles(): ReadonlyMap<string, string> | undefined {
  const local = useLocalSession();
  return useLiveQuery(async () => new Map((await (local?.db.activities.toArray() ?? [])).map((row) => [row.id, row.title])), [local]);
}
