import type { BulkConflictResolution } from '../../protocol';

export interface RsvpInput {
  /** Whether the server has the user going now. */
  joinedNow: boolean;
  /** The answer the device sends. */
  going: boolean;
  /** The answer the device knew before this one, if it says. */
  wasGoing: boolean | undefined;
  resolution: BulkConflictResolution;
}

/**
 * Settles an offline RSVP against the server's answer. The server already holding it is no
 * conflict (unchanged). The server's answer differing from what the device knew is one: another
 * device changed it meanwhile, and `server-wins` keeps the server's, `client-wins` applies the item.
 */
export function resolveRsvp(input: RsvpInput): 'apply' | 'unchanged' | 'server-wins' {
  if (input.joinedNow === input.going) return 'unchanged';
  const changedElsewhere = input.wasGoing !== undefined && input.joinedNow !== input.wasGoing;
  if (changedElsewhere && input.resolution === 'server-wins') return 'server-wins';
  return 'apply';
}
