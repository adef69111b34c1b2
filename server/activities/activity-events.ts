import type { Activity, Visibility } from '../../protocol';

/**
 * What happened to an activity, after its transaction committed. The realtime layer decides who
 * hears about it; the service only reports facts.
 */
export interface ActivityEvents {
  created(activity: Activity): Promise<void>;
  updated(activity: Activity, previousVisibility: Visibility): Promise<void>;
  deleted(activity: Activity): Promise<void>;
  membershipChanged(kind: 'joined' | 'left', activity: Activity, user: { id: string; displayName: string }): Promise<void>;
  likeChanged(kind: 'added' | 'removed', activity: Activity, user: { id: string; displayName: string }): Promise<void>;
  invited(activity: Activity, userId: string): Promise<void>;
}
