import type { Activity, Member, Visibility } from '../../protocol';

export interface ChangeStamp {
  /** Position in the server-wide change sequence. */
  seq: number;
  at: string;
}

export interface Actor {
  id: string;
  displayName: string;
}

/**
 * What happened to an activity, reported after its transaction committed. The realtime layer
 * decides who hears about it; the service only reports facts.
 */
export interface ActivityEvents {
  created(activity: Activity, stamp: ChangeStamp): Promise<void>;
  updated(activity: Activity, previousVisibility: Visibility, stamp: ChangeStamp): Promise<void>;
  deleted(activity: Activity, stamp: ChangeStamp): Promise<void>;
  membershipChanged(kind: 'joined' | 'left', activity: Activity, user: Actor, stamp: ChangeStamp): Promise<void>;
  likeChanged(kind: 'added' | 'removed', activity: Activity, user: Actor, stamp: ChangeStamp): Promise<void>;
  invited(activity: Activity, userId: string, stamp: ChangeStamp): Promise<void>;
  /** A member checked in (or moved their check-in time): the activity's members hear the new attendance. */
  checkedIn(activity: Activity, user: Actor, stamp: ChangeStamp): Promise<void>;
  /** A member's role changed: everyone who sees the activity hears the member row. */
  memberChanged(activity: Activity, member: Member, stamp: ChangeStamp): Promise<void>;
  /** A host removed `user`: they leave its rooms on every process, others see them gone, their devices pull the removal. */
  memberRemoved(activity: Activity, user: Actor, stamp: ChangeStamp): Promise<void>;
  /** Something only `userId` sees changed (their removal was lifted): their devices pull. */
  ownChanged(userId: string, stamp: ChangeStamp): Promise<void>;
}
