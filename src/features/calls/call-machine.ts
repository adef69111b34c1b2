import type { CallEndReason, CallKind } from '../../../protocol';

/**
 * The page's side of a call, as a pure reducer: every socket event, media event and button press
 * becomes an event here, and the screen only draws the state. An event that makes no sense in the
 * current phase (an `accept` while dialing, a late `peerRinging` after the end) returns the very
 * same state, so stale or duplicate events change nothing.
 */

export type CallPhase = 'idle' | 'dialing' | 'ringing' | 'connecting' | 'connected' | 'reconnecting' | 'ending' | 'ended';

export interface CallPeer {
  userId: string;
  displayName: string;
}

export interface CallSnapshot {
  phase: CallPhase;
  /** Unknown while the invitation is on its way. */
  callId: string | null;
  conversationId: string | null;
  kind: CallKind;
  role: 'caller' | 'callee';
  peer: CallPeer | null;
  /** The callee's device is ringing (the caller hears so). */
  peerRinging: boolean;
  /** When media first connected (ms since the epoch): the duration timer's start. */
  connectedAt: number | null;
  endReason: CallEndReason | null;
  /** For `failed`: what failed. */
  endCause: string | null;
}

export type CallEvent =
  | { type: 'dial'; conversationId: string; kind: CallKind; peer: CallPeer }
  | { type: 'invited'; callId: string }
  | { type: 'incoming'; callId: string; conversationId: string; kind: CallKind; peer: CallPeer }
  | { type: 'peerRinging' }
  /** The caller hears the callee answered. */
  | { type: 'answered' }
  /** The callee answered on this device (the server took it). */
  | { type: 'accept' }
  | { type: 'mediaConnected'; at: number }
  | { type: 'mediaInterrupted' }
  /** A reloaded page takes its answered call back. */
  | { type: 'rejoin'; callId: string; conversationId: string; kind: CallKind; role: 'caller' | 'callee'; peer: CallPeer; answeredAt: number }
  /** The person pressed end (cancel while dialing, decline while ringing). */
  | { type: 'hangUp' }
  /** Something here failed (no microphone, negotiation broke). */
  | { type: 'fail'; cause: string }
  /** Reconnecting went on too long: the media is not coming back. */
  | { type: 'giveUp' }
  /** The server confirmed the end this side asked for. */
  | { type: 'endConfirmed' }
  /** The server says the call is over (the other side ended it, a timeout, another device answered). */
  | { type: 'ended'; reason: CallEndReason; cause: string | null }
  | { type: 'dismiss' };

export const IDLE_CALL: CallSnapshot = {
  phase: 'idle',
  callId: null,
  conversationId: null,
  kind: 'audio',
  role: 'caller',
  peer: null,
  peerRinging: false,
  connectedAt: null,
  endReason: null,
  endCause: null,
};

/** Phases in which the call is still on; anything may end them. */
const LIVE: readonly CallPhase[] = ['dialing', 'ringing', 'connecting', 'connected', 'reconnecting'];

/** What ending from each live phase means. */
function endReasonOf(phase: CallPhase): CallEndReason {
  if (phase === 'dialing') return 'cancelled';
  if (phase === 'ringing') return 'declined';
  return 'hung_up';
}

export function callReducer(state: CallSnapshot, event: CallEvent): CallSnapshot {
  const is = (...phases: CallPhase[]) => phases.includes(state.phase);
  switch (event.type) {
    case 'dial':
      if (!is('idle', 'ended')) return state;
      return { ...IDLE_CALL, phase: 'dialing', role: 'caller', conversationId: event.conversationId, kind: event.kind, peer: event.peer };
    case 'invited':
      return is('dialing') && state.callId === null ? { ...state, callId: event.callId } : state;
    case 'incoming':
      if (!is('idle', 'ended')) return state;
      return { ...IDLE_CALL, phase: 'ringing', role: 'callee', callId: event.callId, conversationId: event.conversationId, kind: event.kind, peer: event.peer };
    case 'peerRinging':
      return is('dialing') && !state.peerRinging ? { ...state, peerRinging: true } : state;
    case 'answered':
      return is('dialing') ? { ...state, phase: 'connecting' } : state;
    case 'accept':
      return is('ringing') ? { ...state, phase: 'connecting' } : state;
    case 'mediaConnected':
      if (!is('connecting', 'reconnecting')) return state;
      return { ...state, phase: 'connected', connectedAt: state.connectedAt ?? event.at };
    case 'mediaInterrupted':
      return is('connected', 'connecting') ? { ...state, phase: 'reconnecting' } : state;
    case 'rejoin':
      if (!is('idle')) return state;
      return {
        ...IDLE_CALL,
        phase: 'reconnecting',
        callId: event.callId,
        conversationId: event.conversationId,
        kind: event.kind,
        role: event.role,
        peer: event.peer,
        connectedAt: event.answeredAt,
      };
    case 'hangUp':
      return LIVE.includes(state.phase) ? { ...state, phase: 'ending', endReason: endReasonOf(state.phase) } : state;
    case 'fail':
      return LIVE.includes(state.phase) ? { ...state, phase: 'ending', endReason: 'failed', endCause: event.cause } : state;
    case 'giveUp':
      return is('reconnecting') ? { ...state, phase: 'ending', endReason: 'connection_lost' } : state;
    case 'endConfirmed':
      return is('ending') ? { ...state, phase: 'ended' } : state;
    case 'ended':
      if (!LIVE.includes(state.phase) && !is('ending')) return state;
      // An end this side asked for keeps its own reason; the server's echo of it says the same.
      if (is('ending')) return { ...state, phase: 'ended' };
      return { ...state, phase: 'ended', endReason: event.reason, endCause: event.cause };
    case 'dismiss':
      return is('ended') ? IDLE_CALL : state;
  }
}

/** The phases in which this page holds media (microphone, camera, a peer connection). */
export function holdsMedia(phase: CallPhase): boolean {
  return phase === 'connecting' || phase === 'connected' || phase === 'reconnecting';
}
