import { z } from 'zod';
import { Id } from './ids';
import { Activity } from './activities';
import { ErrorBody } from './errors';

/** Handshake `auth` payload of every socket. */
export const SocketAuth = z.object({
  token: z.string().min(1),
  protocolVersion: z.number().int(),
});
export type SocketAuth = z.infer<typeof SocketAuth>;

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

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export interface ServerToClientEvents {
  'activity:created': (event: ActivityChangedEvent) => void;
  'activity:updated': (event: ActivityChangedEvent) => void;
  'activity:deleted': (event: ActivityDeletedEvent) => void;
  'activity:user_joined': (event: ActivityCountEvent) => void;
  'activity:user_left': (event: ActivityCountEvent) => void;
  'activity:like_added': (event: ActivityCountEvent) => void;
  'activity:like_removed': (event: ActivityCountEvent) => void;
}

export interface ClientToServerEvents {
  'room:join': (payload: RoomJoinPayload, ack: (result: Ack<{ room: string }>) => void) => void;
  'room:leave': (payload: RoomJoinPayload, ack: (result: Ack<{ room: string }>) => void) => void;
}

export const serverEventNames = [
  'activity:created',
  'activity:updated',
  'activity:deleted',
  'activity:user_joined',
  'activity:user_left',
  'activity:like_added',
  'activity:like_removed',
] as const satisfies readonly (keyof ServerToClientEvents)[];

export function activityRoom(activityId: string): string {
  return `activity:${activityId}`;
}
export function userRoom(userId: string): string {
  return `user:${userId}`;
}
