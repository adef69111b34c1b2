import { z } from 'zod';
import { Id } from './ids';
import { Activity, Member } from './activities';
import { ErrorBody } from './errors';
import type {
  CheckinEvent,
  ConversationEvent,
  MessageEvent,
  MessageChangedEvent,
  Presence,
  PresenceQuery,
  PresenceSet,
  ReceiptEvent,
  ReceiptUpdateResult,
  ReceiptUpdates,
  TypingEvent,
  TypingPayload,
} from './chat';
import type { Mutation, MutationApplied } from './mutations';
import type {
  Call,
  CallAcceptedEvent,
  CallEndedEvent,
  CallEndPayload,
  CallIncomingEvent,
  CallInvitePayload,
  CallRef,
  CallRejoinedEvent,
  CallRingingEvent,
  CallSignalEvent,
  CallSignalPayload,
} from './calls';

/** Handshake `auth` payload of every socket. */
export const SocketAuth = z.object({
  token: z.string().min(1),
  protocolVersion: z.number().int(),
  /**
   * This browser's stable device id (the one it registers for push with): while a socket of the
   * device is live, the server pushes nothing to that device.
   */
  deviceId: z.uuid().optional(),
});
export type SocketAuth = z.infer<typeof SocketAuth>;

/** A fresh access token for an open socket, before the one it connected with expires. */
export const AuthRenewPayload = z.strictObject({ token: z.string().min(1) });
export type AuthRenewPayload = z.infer<typeof AuthRenewPayload>;

/** `connect_error.data` when the server refuses a socket. */
export const ConnectErrorData = z.object({ code: ErrorBody.shape.code });
export type ConnectErrorData = z.infer<typeof ConnectErrorData>;

export const RoomJoinPayload = z.strictObject({ activityId: Id });
export type RoomJoinPayload = z.infer<typeof RoomJoinPayload>;

/**
 * Every event carries `seq`, its position in the server-wide change sequence (the same numbers
 * the sync cursor is made of). A page whose cursor is behind an event's `seq` pulls to catch up.
 */
const Position = z.number().int().min(1);

export const ActivityChangedEvent = z.object({ activity: Activity, seq: Position });
export type ActivityChangedEvent = z.infer<typeof ActivityChangedEvent>;

/**
 * Something only this user sees changed at `seq` (a notification for them, one read on another of
 * their devices, their push settings or a mute): the event names no rows, the page pulls.
 */
export const OwnChangesEvent = z.object({ seq: Position });
export type OwnChangesEvent = z.infer<typeof OwnChangesEvent>;

export const ActivityDeletedEvent = z.object({ activityId: Id, version: z.number().int(), seq: Position });
export type ActivityDeletedEvent = z.infer<typeof ActivityDeletedEvent>;

/** A membership or like change: who did it, and the activity's counts and version afterwards. */
export const ActivityCountEvent = z.object({
  activityId: Id,
  userId: Id,
  displayName: z.string(),
  memberCount: z.number().int(),
  likeCount: z.number().int(),
  version: z.number().int(),
  seq: Position,
  /** When the membership or like was made or removed. */
  at: z.string(),
});
export type ActivityCountEvent = z.infer<typeof ActivityCountEvent>;

/** A member's row changed in place (their role, protocol 7), at `seq`: to everyone who sees the activity. */
export const MemberChangedEvent = z.object({ member: Member, seq: Position });
export type MemberChangedEvent = z.infer<typeof MemberChangedEvent>;

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody & { retryAfterMs?: number } };

export interface ServerToClientEvents {
  'activity:created': (event: ActivityChangedEvent) => void;
  'activity:updated': (event: ActivityChangedEvent) => void;
  'activity:deleted': (event: ActivityDeletedEvent) => void;
  'activity:user_joined': (event: ActivityCountEvent) => void;
  'activity:user_left': (event: ActivityCountEvent) => void;
  'activity:like_added': (event: ActivityCountEvent) => void;
  'activity:like_removed': (event: ActivityCountEvent) => void;
  /** To the activity's members only (its room), like everything below. */
  'activity:checked_in': (event: CheckinEvent) => void;
  /** A member became a co-host or stopped being one (protocol 7; older pages have no listener and pull). */
  'activity:member_changed': (event: MemberChangedEvent) => void;
  'message:new': (event: MessageEvent) => void;
  /** A message was edited, deleted for everyone or reacted to (protocol 7; older pages have no listener and pull). */
  'message:changed': (event: MessageChangedEvent) => void;
  /** An organizer's announcement; it also arrives as `message:new` (it is a message of the room). */
  'announcement:new': (event: MessageEvent) => void;
  'conversation:new': (event: ConversationEvent) => void;
  'receipt:updated': (event: ReceiptEvent) => void;
  'own:changed': (event: OwnChangesEvent) => void;
  typing: (event: TypingEvent) => void;
  presence: (event: Presence) => void;
  'call:incoming': (event: CallIncomingEvent) => void;
  'call:ringing': (event: CallRingingEvent) => void;
  'call:accepted': (event: CallAcceptedEvent) => void;
  'call:ended': (event: CallEndedEvent) => void;
  'call:signal': (event: CallSignalEvent) => void;
  'call:rejoined': (event: CallRejoinedEvent) => void;
  /** To everyone: feature flags' targeting changed; evaluate them again (`/ofrep/v1/evaluate/flags`). */
  'flags:changed': () => void;
}

export interface ClientToServerEvents {
  /** Keeps the socket open past its token's expiry; answered with the new expiry. */
  'auth:renew': (payload: AuthRenewPayload, ack: (result: Ack<{ expiresAt: string }>) => void) => void;
  'room:join': (payload: RoomJoinPayload, ack: (result: Ack<{ room: string }>) => void) => void;
  'room:leave': (payload: RoomJoinPayload, ack: (result: Ack<{ room: string }>) => void) => void;
  /** A chat mutation over the socket (the quick path); the same exactly-once rules as `POST /api/mutations`. */
  'message:send': (mutation: Mutation, ack: (result: Ack<MutationApplied>) => void) => void;
  'receipt:update': (payload: ReceiptUpdates, ack: (result: Ack<ReceiptUpdateResult[]>) => void) => void;
  'typing:start': (payload: TypingPayload, ack?: (result: Ack<null>) => void) => void;
  'typing:stop': (payload: TypingPayload, ack?: (result: Ack<null>) => void) => void;
  'presence:set': (payload: PresenceSet, ack?: (result: Ack<null>) => void) => void;
  'presence:query': (payload: PresenceQuery, ack: (result: Ack<Presence[]>) => void) => void;
  /** Calls the other person of a direct conversation; answered with the call (or `busy`, `forbidden`…). */
  'call:invite': (payload: CallInvitePayload, ack: (result: Ack<Call>) => void) => void;
  /** A callee's device tells the caller it is ringing. */
  'call:ringing': (payload: CallRef, ack: (result: Ack<null>) => void) => void;
  /** The first of the callee's devices to accept carries the call; the others hear `answered_elsewhere`. */
  'call:accept': (payload: CallRef, ack: (result: Ack<Call>) => void) => void;
  'call:decline': (payload: CallRef, ack: (result: Ack<null>) => void) => void;
  'call:cancel': (payload: CallRef, ack: (result: Ack<null>) => void) => void;
  'call:end': (payload: CallEndPayload, ack: (result: Ack<null>) => void) => void;
  'call:signal': (payload: CallSignalPayload, ack: (result: Ack<null>) => void) => void;
  /** A reloaded page takes its side of the call back on its new connection. */
  'call:rejoin': (payload: CallRef, ack: (result: Ack<Call>) => void) => void;
}

/** The events the device's data layer follows; calls have listeners of their own (src/features/calls). */
export const serverEventNames = [
  'activity:created',
  'activity:updated',
  'activity:deleted',
  'activity:user_joined',
  'activity:user_left',
  'activity:like_added',
  'activity:like_removed',
  'activity:checked_in',
  'activity:member_changed',
  'message:new',
  'message:changed',
  'announcement:new',
  'conversation:new',
  'receipt:updated',
  'own:changed',
  'typing',
  'presence',
  'flags:changed',
] as const satisfies readonly (keyof ServerToClientEvents)[];

export function activityRoom(activityId: string): string {
  return `activity:${activityId}`;
}
/** Every socket opened with a token of one session: ending the session ends them. */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}

export function userRoom(userId: string): string {
  return `user:${userId}`;
}
