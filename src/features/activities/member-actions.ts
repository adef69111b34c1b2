import type { RoleName } from '../../../protocol';

/** What the members list offers the viewer for one member: the rule the server enforces (server/domain/activity-roles.ts). */
export interface MemberActionSet {
  makeCohost: boolean;
  removeCohost: boolean;
  remove: boolean;
}

const none: MemberActionSet = { makeCohost: false, removeCohost: false, remove: false };

export function memberActionsFor(mine: RoleName | null, theirs: RoleName, isSelf: boolean): MemberActionSet {
  if (isSelf || theirs === 'owner') return none;
  if (mine === 'owner') return { makeCohost: theirs === 'member', removeCohost: theirs === 'cohost', remove: true };
  if (mine === 'cohost') return { ...none, remove: theirs === 'member' };
  return none;
}

export function hasAnyMemberAction(actions: MemberActionSet): boolean {
  return actions.makeCohost || actions.removeCohost || actions.remove;
}
