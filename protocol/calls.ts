import { z } from 'zod';
import { Id, Instant } from './ids';

/**
 * One-to-one calls from a direct conversation. Signaling rides the live socket; media goes peer
 * to peer (or through TURN), never through Rally's server. The server keeps the authoritative
 * record (who, kind, state, times, why it ended) and writes the call's line into the chat when it
 * ends, so every device sees it through the delta feed.
 */

export const CallKind = z.enum(['audio', 'video']);
export type CallKind = z.infer<typeof CallKind>;

/** The server's view of a call: ringing until accepted, active until it ends. */
export const CallState = z.enum(['ringing', 'active', 'ended']);
export type CallState = z.infer<typeof CallState>;

export const CallEndReason = z.enum([
  'hung_up',
  'declined',
  'busy',
  'no_answer',
  'cancelled',
  'answered_elsewhere',
  'failed',
  'connection_lost',
]);
export type CallEndReason = z.infer<typeof CallEndReason>;

export const Call = z.object({
  id: Id,
  conversationId: Id,
  callerId: Id,
  callerName: z.string(),
  calleeId: Id,
  kind: CallKind,
  state: CallState,
  createdAt: Instant,
  answeredAt: Instant.nullable(),
  endedAt: Instant.nullable(),
  endReason: CallEndReason.nullable(),
});
export type Call = z.infer<typeof Call>;

// Client → server --------------------------------------------------------------------------------

export const CallInvitePayload = z.strictObject({ conversationId: Id, kind: CallKind });
export type CallInvitePayload = z.infer<typeof CallInvitePayload>;

/** `call:ringing`, `call:accept`, `call:decline`, `call:cancel`, `call:rejoin`: which call. */
export const CallRef = z.strictObject({ callId: Id });
export type CallRef = z.infer<typeof CallRef>;

/** Why a side ends an answered call: the person hung up, or their media gave out. */
export const CallEndPayload = z.strictObject({
  callId: Id,
  reason: z.enum(['hung_up', 'failed', 'connection_lost']).default('hung_up'),
  /** For `failed`: what failed (the camera refused, ICE failed), for the other side and the logs. */
  cause: z.string().trim().min(1).max(200).optional(),
});
export type CallEndPayload = z.infer<typeof CallEndPayload>;

/** An SDP description as `RTCSessionDescriptionInit` carries it. Offers for audio+video run to a few KB. */
export const SessionDescription = z.strictObject({
  type: z.enum(['offer', 'answer']),
  sdp: z.string().min(1).max(64_000),
});
export type SessionDescription = z.infer<typeof SessionDescription>;

/** A trickled ICE candidate as `RTCIceCandidateInit` carries it. */
export const IceCandidate = z.strictObject({
  candidate: z.string().max(2_000),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});
export type IceCandidate = z.infer<typeof IceCandidate>;

export const CallSignal = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('description'), description: SessionDescription }),
  z.strictObject({ type: z.literal('candidate'), candidate: IceCandidate }),
]);
export type CallSignal = z.infer<typeof CallSignal>;

export const CallSignalPayload = z.strictObject({ callId: Id, signal: CallSignal });
export type CallSignalPayload = z.infer<typeof CallSignalPayload>;

// Server → client --------------------------------------------------------------------------------

/** To every socket of the callee: ring. */
export const CallIncomingEvent = z.object({ call: Call });
export type CallIncomingEvent = z.infer<typeof CallIncomingEvent>;

/** To the caller: a device of the callee is ringing. */
export const CallRingingEvent = z.object({ callId: Id });
export type CallRingingEvent = z.infer<typeof CallRingingEvent>;

/** To the caller: answered; start the media. */
export const CallAcceptedEvent = z.object({ call: Call });
export type CallAcceptedEvent = z.infer<typeof CallAcceptedEvent>;

/** To every socket of both people (a callee's other tabs stop ringing). */
export const CallEndedEvent = z.object({ callId: Id, reason: CallEndReason, cause: z.string().nullable() });
export type CallEndedEvent = z.infer<typeof CallEndedEvent>;

/** The other side's description or candidate, relayed to the one socket that carries the call. */
export const CallSignalEvent = z.object({ callId: Id, signal: CallSignal });
export type CallSignalEvent = z.infer<typeof CallSignalEvent>;

/** The other side came back (after a reload) on a new connection: negotiate afresh. */
export const CallRejoinedEvent = z.object({ callId: Id });
export type CallRejoinedEvent = z.infer<typeof CallRejoinedEvent>;

// REST -------------------------------------------------------------------------------------------

export const IceServer = z.object({
  urls: z.array(z.string()).min(1),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServer>;

/** `GET /api/calls/ice-servers`: where to gather candidates, and how the page must use them. */
export const IceServersResponse = z.object({
  iceServers: z.array(IceServer),
  /** `relay`: TURN only (a deployment that hides peers' addresses, and the relay test). */
  iceTransportPolicy: z.enum(['all', 'relay']),
  /** Send only candidates on 127.0.0.1/::1: tests keep media on loopback. */
  loopbackOnly: z.boolean(),
  /** When the TURN credentials stop working; the page asks again for each call. */
  expiresAt: Instant.nullable(),
});
export type IceServersResponse = z.infer<typeof IceServersResponse>;

/** How long a callee's devices ring before the call counts as missed. */
export const CALL_RING_TIMEOUT_MS = 30_000;
/** How long the server holds an answered call for a side that dropped (a reload) before ending it. */
export const CALL_REJOIN_HOLD_MS = 20_000;
