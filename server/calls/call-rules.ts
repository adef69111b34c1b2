import type { CallEndReason } from '../../protocol';
import type { CallRow } from './call-store';

/** Pure rules about a call: who is who, and what an end means from each state. */

export type Side = 'caller' | 'callee';

export function sideOf(call: Pick<CallRow, 'callerId' | 'calleeId'>, userId: string): Side | null {
  if (call.callerId === userId) return 'caller';
  if (call.calleeId === userId) return 'callee';
  return null;
}

export function otherSide(side: Side): Side {
  return side === 'caller' ? 'callee' : 'caller';
}

export function socketOf(call: Pick<CallRow, 'callerSocket' | 'calleeSocket'>, side: Side): string | null {
  return side === 'caller' ? call.callerSocket : call.calleeSocket;
}

/**
 * The reason a call ends for when `side` ends it in its current state: before the answer the
 * caller cancels and the callee declines, whatever button they pressed; after it, the side's own
 * reason (hung up, failed, lost) holds.
 */
export function endReasonFor(state: 'ringing' | 'active', side: Side, asked: CallEndReason): CallEndReason {
  if (state === 'ringing') return side === 'caller' ? 'cancelled' : 'declined';
  return asked;
}

/** What ends a call whose deadline passed: nobody answered, or a dropped side never came back. */
export function overdueReason(state: 'ringing' | 'active'): CallEndReason {
  return state === 'ringing' ? 'no_answer' : 'connection_lost';
}

/**
 * Whether a call's end is pushed to the callee's devices: only a call that rang and was never
 * answered (its ringing notification must turn into a missed call, or go). A busy call never rang.
 */
export function pushesItsEnd(call: { answeredAt: string | null }, reason: CallEndReason): boolean {
  return call.answeredAt === null && reason !== 'busy';
}
