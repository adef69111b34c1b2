/**
 * The wire contract's version. Bump it whenever a schema in `protocol/` changes shape; the
 * guard test in `version.test.ts` fails until the fingerprint recorded there matches again.
 */
export const PROTOCOL_VERSION = 7;

/**
 * Oldest page protocol the server still accepts. Older pages are told to update. Version 2 added
 * chat to the sync feed, which a version-1 page cannot parse. Version 3 only added to what the server
 * says and accepts (the session id in a sign-in's answer, an optional body for sign-out), which a
 * version-2 page ignores; its other changes are between a page and its own worker. Version 4 added
 * the optional `afterMutationId` of a mutation and the `mutation_gap` answer to it (older pages send
 * none, so never get one), and mutation batches (`POST /api/mutations/batch`). Version 5 added push (devices, the push payload, notifications,
 * push and conversation settings in the feed and their mutations, a device id in the socket
 * handshake); a version-4 page neither sends nor is sent any of it, except feed entities it does
 * not know, which the server leaves out for it. Version 6 added calls (their socket events,
 * `GET /api/calls/ice-servers`) and the `call` message kind, which the feed turns into `text` for
 * an older page (`server/sync/older-pages.ts`); feature flags (OFREP endpoints, the admin's flag
 * bodies, a `flags:changed` event older pages ignore); first-party analytics (`POST
 * /api/analytics/events`, the worker's FLUSH_ANALYTICS, neither of which an older page sends, and
 * the administrators' `GET /api/admin/analytics`); and changed what a page and its own worker
 * say: the worker settles replayed mutations in the device database instead of posting
 * MUTATION_SETTLED (a page of 5 under a worker of 6 hears no outcome message and reclaims, which
 * the server dedupes). Version 7 added the `call` push (a callee with Rally closed rings through
 * a push with Accept and Decline; a worker of 6 cannot read one and shows nothing) and
 * `POST /api/calls/:id/decline`; analytics (`POST /api/analytics/events`, its beacon body, the
 * page's FLUSH_ANALYTICS to its worker, the admin's dashboard data), which a page of 6 never sends
 * or asks for; and message edits, deletes, reactions, replies and "delete for me" (the mutations
 * `message.edit|delete|hide|react`, a reply's `replyToId`, a message's optional `editedAt`,
 * `deletedAt`, `reactions` and `version`, the `message:changed` event, the `hidden-message` feed
 * entity). A page of 6 parses a message with the new fields stripped, has no listener for
 * `message:changed`, is never sent a `hidden-message` (the feed leaves the kind out for it), and
 * gets a deleted message with "This message was deleted" as its text. Version 7 also pins and
 * archives chats (`conversation.pin|archive`, a conversation setting's `pinnedAt` and
 * `archivedAt`, the `too_many_pinned` error): a page of 6 strips the two fields and never sends
 * the mutations. Version 7 also adds group roles (`activity.setRole|removeMember`, the `cohost`
 * member role, the `activity:member_changed` event, the `removal` feed entity, the
 * `host_only`, `organizer_only` and `removed_from_activity` errors): a page of 6 is sent a
 * co-host as `member`, has no listener for the event, is never sent `removal`, and never sends
 * the mutations. It also blocks and reports (`user.block`, `report.create`, the `blocked-user`
 * feed entity, the `blocked` error, `GET /api/admin/reports`): a page of 6 is never sent the
 * entity and never sends the mutations; its direct messages to someone who blocked it are
 * refused with `blocked`, a code it does not know and shows as a refusal like any other.
 * the mutations. Version 7 also carries photos (`PUT`/`GET /api/photos/:hash`, a message's
 * optional `photo`, a `message.send` whose body may be empty when it has one, the `photo_missing`
 * error): a page of 6 never sends one and gets a photo message as text ("📷 Photo", or its caption).
 */
export const MIN_SUPPORTED_PROTOCOL_VERSION = 2;

/**
 * The last version that changed what the sync feed leaves out for an older page (7: a message's
 * edits, reactions and quote, which an older page stored without, and `hidden-message`). A device
 * whose cursor was pulled under an older version than this pulls again from the start; a version
 * that changed nothing in the feed costs no device a full pull.
 */
export const FEED_LAST_CHANGED_IN = 7;

export function isSupportedProtocolVersion(version: unknown): boolean {
  return (
    typeof version === 'number' &&
    Number.isInteger(version) &&
    version >= MIN_SUPPORTED_PROTOCOL_VERSION &&
    version <= PROTOCOL_VERSION
  );
}

/**
 * The request header in which a page names its protocol version on HTTP requests whose answers
 * grew with a version (the sync feed): the server leaves out what an older page cannot parse.
 * Absent means version 4, the last that did not send it.
 */
export const PROTOCOL_VERSION_HEADER = 'x-rally-protocol';
export const PROTOCOL_VERSION_WITHOUT_HEADER = 4;
