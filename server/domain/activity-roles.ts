import type { ErrorCode, RoleName } from '../../protocol';

/**
 * Who may change whose place in an activity: pure, one rule per write. The organizer makes and
 * unmakes co-hosts; hosts (organizer and co-hosts) remove members; only the organizer removes a
 * co-host; nobody removes the organizer or changes their role. Roles are read under the change
 * sequence's lock, so each decision sees the state its change lands on.
 */

export type RoleWrite = { kind: 'set-role'; role: 'cohost' | 'member' } | { kind: 'remove' };

export interface RoleFacts {
  /** The actor's role in the activity (null: not a member). */
  actor: RoleName | null;
  /** The target's role (null: not, or no longer, a member). */
  target: RoleName | null;
}

export type RoleDecision = { outcome: 'apply' } | { outcome: 'unchanged' } | { outcome: 'refuse'; code: ErrorCode; message: string };

const apply: RoleDecision = { outcome: 'apply' };
const unchanged: RoleDecision = { outcome: 'unchanged' };
const refuse = (code: ErrorCode, message: string): RoleDecision => ({ outcome: 'refuse', code, message });

export function decideRoleWrite(write: RoleWrite, facts: RoleFacts): RoleDecision {
  if (write.kind === 'set-role') {
    if (facts.actor !== 'owner') return refuse('organizer_only', 'Only the organizer can make or unmake co-hosts');
    if (facts.target === 'owner') return refuse('forbidden', 'The organizer’s role cannot change');
    if (facts.target === null) return refuse('not_found', 'This person is not a member of the activity');
    return facts.target === write.role ? unchanged : apply;
  }
  if (facts.actor !== 'owner' && facts.actor !== 'cohost') return refuse('host_only', 'Only the organizer and co-hosts can remove members');
  if (facts.target === 'owner') return refuse('forbidden', 'The organizer cannot be removed');
  if (facts.target === 'cohost' && facts.actor !== 'owner') return refuse('organizer_only', 'Only the organizer can remove a co-host');
  // Already gone (removed from another device, or they left): the removal stands as it is.
  if (facts.target === null) return unchanged;
  return apply;
}
