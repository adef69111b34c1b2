/**
 * Who runs an activity's room, without zod (screens in the first load read it). The organizer
 * (`owner`) and co-hosts are its hosts: they remove members, post announcements and delete any
 * message of the room; only the organizer makes or unmakes co-hosts.
 */
export type RoleName = 'owner' | 'cohost' | 'member';

export function isHostRole(role: RoleName | undefined): boolean {
  return role === 'owner' || role === 'cohost';
}

/** What the members list calls each role (a plain member has no badge). */
export const ROLE_BADGES: Record<RoleName, string | null> = { owner: 'Organizer', cohost: 'Co-host', member: null };
