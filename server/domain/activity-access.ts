import type { Visibility } from '../../protocol';

/** How one user stands to one activity. */
export interface ActivityRelation {
  isOwner: boolean;
  isMember: boolean;
  isInvited: boolean;
}

export interface ActivityAccessFacts {
  visibility: Visibility;
  deleted: boolean;
}

/** Public activities are visible to everyone; private ones to their owner, members and invitees. */
export function canViewActivity(activity: ActivityAccessFacts, relation: ActivityRelation): boolean {
  if (activity.deleted) return false;
  if (activity.visibility === 'public') return true;
  return relation.isOwner || relation.isMember || relation.isInvited;
}

export function canEditActivity(activity: ActivityAccessFacts, relation: ActivityRelation): boolean {
  return !activity.deleted && relation.isOwner;
}

/** Anyone may join a public activity; a private one only by invitation. Capacity is checked atomically in SQL. */
export function canJoinActivity(activity: ActivityAccessFacts, relation: ActivityRelation): boolean {
  if (activity.deleted) return false;
  return activity.visibility === 'public' || relation.isOwner || relation.isInvited || relation.isMember;
}
