/**
 * Error codes and their HTTP statuses, without zod: the page's first load needs them (the send
 * policy, the auth client) and not the schemas, which load after it (issue 13). errors.ts builds
 * the schemas from this list and re-exports it.
 */

/** Every error Rally reports carries one of these stable codes. */
export const errorCodes = [
  'invalid_input',
  'invalid_json',
  'payload_too_large',
  'unsupported_media_type',
  'unauthorized',
  'token_expired',
  'invalid_credentials',
  'refresh_reused',
  'cross_site',
  'forbidden',
  'not_found',
  'email_taken',
  'conflict',
  'capacity_full',
  'owner_cannot_leave',
  'message_deleted',
  'delete_window_passed',
  'too_many_pinned',
  'host_only',
  'organizer_only',
  'removed_from_activity',
  'blocked',
  'photo_missing',
  'rate_limited',
  'mutation_gap',
  'invalid_cursor',
  'cursor_expired',
  'unsupported_protocol',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** HTTP status for each code: the one place where codes meet statuses. */
export const httpStatusByErrorCode: Record<ErrorCode, number> = {
  invalid_input: 400,
  invalid_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthorized: 401,
  token_expired: 401,
  invalid_credentials: 401,
  refresh_reused: 401,
  cross_site: 403,
  forbidden: 403,
  not_found: 404,
  email_taken: 409,
  conflict: 409,
  capacity_full: 409,
  owner_cannot_leave: 409,
  // An edit or a reaction of a message deleted for everyone: the delete stands.
  message_deleted: 409,
  // Delete for everyone is for a message's first 24 hours.
  delete_window_passed: 403,
  // A fourth pinned conversation: unpin one first.
  too_many_pinned: 409,
  // Removing a member, posting an announcement or deleting another's message: the organizer and co-hosts only.
  host_only: 403,
  // Making or unmaking co-hosts, and removing a co-host: the organizer only.
  organizer_only: 403,
  // A host removed this person: the room is closed to them until the organizer invites them back.
  removed_from_activity: 403,
  // A direct conversation or message between two people one of whom blocked the other.
  blocked: 403,
  // A message names a photo whose file was never uploaded: upload it, then send again.
  photo_missing: 409,
  rate_limited: 429,
  // Too Early: an earlier mutation of the same client has not arrived; send again after it.
  mutation_gap: 425,
  invalid_cursor: 400,
  cursor_expired: 410,
  unsupported_protocol: 426,
  unavailable: 503,
  internal: 500,
};
