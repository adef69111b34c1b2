import type { Activity, ActivityCountEvent, ActivityPage, ActivityView, ViewerState } from '../../../protocol';

/**
 * Pure functions that apply server changes to cached activities. Each one keeps the rule that an
 * older or equal version never overwrites a newer one, so events can arrive twice or late.
 */

export interface PagedActivities {
  pages: ActivityPage[];
  pageParams: unknown[];
}

export type CountEventKind = 'user_joined' | 'user_left' | 'like_added' | 'like_removed';

/** A changed activity, keeping what the cache knows about the viewer (events carry no viewer). */
export function applyActivityChange(view: ActivityView, activity: Activity): ActivityView {
  if (activity.version <= view.version) return view;
  return { ...activity, viewer: view.viewer };
}

/** A server answer to this viewer's own request: carries viewer state, so it wins on equal version. */
export function applyServerView(view: ActivityView, fresh: ActivityView): ActivityView {
  return fresh.version >= view.version ? fresh : view;
}

export function applyCountEvent(
  view: ActivityView,
  event: ActivityCountEvent,
  kind: CountEventKind,
  selfId: string | null,
): ActivityView {
  if (event.version <= view.version) return view;
  return {
    ...view,
    memberCount: event.memberCount,
    likeCount: event.likeCount,
    version: event.version,
    viewer: event.userId === selfId ? viewerAfter(view.viewer, kind) : view.viewer,
  };
}

function viewerAfter(viewer: ViewerState, kind: CountEventKind): ViewerState {
  switch (kind) {
    case 'user_joined':
      return { ...viewer, joined: true };
    case 'user_left':
      return { ...viewer, joined: false };
    case 'like_added':
      return { ...viewer, liked: true };
    case 'like_removed':
      return { ...viewer, liked: false };
  }
}

/** What the viewer's state must be for an activity first seen through an event. */
export function viewerStateFor(activity: Activity, selfId: string | null): ViewerState {
  const isOwner = activity.ownerId === selfId;
  return { liked: false, joined: isOwner, invited: false, isOwner };
}

export function mapActivitiesInPages(
  data: PagedActivities,
  activityId: string,
  update: (view: ActivityView) => ActivityView,
): PagedActivities {
  let changed = false;
  const pages = data.pages.map((page) => {
    const index = page.items.findIndex((item) => item.id === activityId);
    const found = page.items[index];
    if (!found) return page;
    const updated = update(found);
    if (updated === found) return page;
    changed = true;
    const items = page.items.slice();
    items[index] = updated;
    return { ...page, items };
  });
  return changed ? { ...data, pages } : data;
}

export function removeFromPages(data: PagedActivities, activityId: string): PagedActivities {
  if (!containsActivity(data, activityId)) return data;
  return {
    ...data,
    pages: data.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== activityId) })),
  };
}

export function prependToPages(data: PagedActivities, view: ActivityView): PagedActivities {
  const [first, ...rest] = data.pages;
  if (!first || containsActivity(data, view.id)) return data;
  return { ...data, pages: [{ ...first, items: [view, ...first.items] }, ...rest] };
}

export function containsActivity(data: PagedActivities, activityId: string): boolean {
  return data.pages.some((page) => page.items.some((item) => item.id === activityId));
}

export function findInPages(data: PagedActivities, activityId: string): ActivityView | undefined {
  for (const page of data.pages) {
    const found = page.items.find((item) => item.id === activityId);
    if (found) return found;
  }
  return undefined;
}
