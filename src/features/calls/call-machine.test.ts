import { describe, expect, it } from 'vitest';
import { callReducer, IDLE_CALL, type CallEvent, type CallPhase, type CallSnapshot } from './call-machine';

const peer = { userId: '00000000-0000-4000-8000-0000000000b0', displayName: 'Ben' };
const conversationId = '00000000-0000-8000-8000-000000000001';
const callId = '00000000-0000-4000-8000-0000000000c1';

/** A call in `phase`, as the reducer would have left it. */
function inPhase(phase: CallPhase, extra: Partial<CallSnapshot> = {}): CallSnapshot {
  if (phase === 'idle') return IDLE_CALL;
  const role = phase === 'ringing' ? 'callee' : 'caller';
  return { ...IDLE_CALL, phase, role, callId, conversationId, kind: 'audio', peer, ...extra };
}

const dial: CallEvent = { type: 'dial', conversationId, kind: 'video', peer };
const incoming: CallEvent = { type: 'incoming', callId, conversationId, kind: 'audio', peer };
const rejoin: CallEvent = { type: 'rejoin', callId, conversationId, kind: 'video', role: 'callee', peer, answeredAt: 1_000 };
const endedBusy: CallEvent = { type: 'ended', reason: 'busy', cause: null };

/** One row per transition: from a state, on an event, to the fields that change. */
const TRANSITIONS: { from: CallSnapshot; on: CallEvent; to: Partial<CallSnapshot> }[] = [
  { from: IDLE_CALL, on: dial, to: { phase: 'dialing', role: 'caller', kind: 'video', peer, conversationId, callId: null } },
  { from: inPhase('ended', { endReason: 'busy' }), on: dial, to: { phase: 'dialing', endReason: null, callId: null, kind: 'video' } },
  { from: inPhase('dialing', { callId: null }), on: { type: 'invited', callId }, to: { callId } },
  { from: IDLE_CALL, on: incoming, to: { phase: 'ringing', role: 'callee', callId, conversationId, peer } },
  { from: inPhase('dialing'), on: { type: 'peerRinging' }, to: { peerRinging: true } },
  { from: inPhase('dialing'), on: { type: 'answered' }, to: { phase: 'connecting' } },
  { from: inPhase('ringing'), on: { type: 'accept' }, to: { phase: 'connecting' } },
  { from: inPhase('connecting'), on: { type: 'mediaConnected', at: 5_000 }, to: { phase: 'connected', connectedAt: 5_000 } },
  { from: inPhase('connected', { connectedAt: 5_000 }), on: { type: 'mediaInterrupted' }, to: { phase: 'reconnecting' } },
  { from: inPhase('connecting'), on: { type: 'mediaInterrupted' }, to: { phase: 'reconnecting' } },
  // Back from reconnecting, the timer keeps counting from the first connection.
  { from: inPhase('reconnecting', { connectedAt: 5_000 }), on: { type: 'mediaConnected', at: 9_000 }, to: { phase: 'connected', connectedAt: 5_000 } },
  { from: IDLE_CALL, on: rejoin, to: { phase: 'reconnecting', role: 'callee', kind: 'video', callId, conversationId, peer, connectedAt: 1_000 } },
  { from: inPhase('dialing'), on: { type: 'hangUp' }, to: { phase: 'ending', endReason: 'cancelled' } },
  { from: inPhase('ringing'), on: { type: 'hangUp' }, to: { phase: 'ending', endReason: 'declined' } },
  { from: inPhase('connecting'), on: { type: 'hangUp' }, to: { phase: 'ending', endReason: 'hung_up' } },
  { from: inPhase('connected'), on: { type: 'hangUp' }, to: { phase: 'ending', endReason: 'hung_up' } },
  { from: inPhase('reconnecting'), on: { type: 'hangUp' }, to: { phase: 'ending', endReason: 'hung_up' } },
  { from: inPhase('connecting'), on: { type: 'fail', cause: 'camera refused' }, to: { phase: 'ending', endReason: 'failed', endCause: 'camera refused' } },
  { from: inPhase('reconnecting'), on: { type: 'giveUp' }, to: { phase: 'ending', endReason: 'connection_lost' } },
  { from: inPhase('ending', { endReason: 'hung_up' }), on: { type: 'endConfirmed' }, to: { phase: 'ended', endReason: 'hung_up' } },
  { from: inPhase('ending', { endReason: 'cancelled' }), on: endedBusy, to: { phase: 'ended', endReason: 'cancelled' } },
  { from: inPhase('dialing'), on: endedBusy, to: { phase: 'ended', endReason: 'busy' } },
  { from: inPhase('ringing'), on: { type: 'ended', reason: 'answered_elsewhere', cause: null }, to: { phase: 'ended', endReason: 'answered_elsewhere' } },
  { from: inPhase('ringing'), on: { type: 'ended', reason: 'cancelled', cause: null }, to: { phase: 'ended', endReason: 'cancelled' } },
  { from: inPhase('dialing'), on: { type: 'ended', reason: 'no_answer', cause: null }, to: { phase: 'ended', endReason: 'no_answer' } },
  { from: inPhase('connected'), on: { type: 'ended', reason: 'failed', cause: 'ICE failed' }, to: { phase: 'ended', endReason: 'failed', endCause: 'ICE failed' } },
  { from: inPhase('reconnecting'), on: { type: 'ended', reason: 'connection_lost', cause: null }, to: { phase: 'ended', endReason: 'connection_lost' } },
  { from: inPhase('ended', { endReason: 'hung_up' }), on: { type: 'dismiss' }, to: IDLE_CALL },
];

/** Events that make no sense where they arrive: the state stays the very same object. */
const IGNORED: { from: CallSnapshot; on: CallEvent; why: string }[] = [
  { from: inPhase('dialing'), on: { type: 'accept' }, why: 'only a callee accepts' },
  { from: inPhase('ended'), on: { type: 'peerRinging' }, why: 'a late ringing after the end' },
  { from: inPhase('connected'), on: { type: 'peerRinging' }, why: 'ringing after the answer' },
  { from: inPhase('dialing', { peerRinging: true }), on: { type: 'peerRinging' }, why: 'a second device rang' },
  { from: inPhase('dialing'), on: { type: 'invited', callId: 'another' }, why: 'the id is known already' },
  { from: inPhase('connected'), on: dial, why: 'one call at a time' },
  { from: inPhase('ringing'), on: dial, why: 'answer or decline the ringing one first' },
  { from: inPhase('connected'), on: incoming, why: 'a second invitation while in a call (the server says busy)' },
  { from: inPhase('ringing'), on: { type: 'answered' }, why: 'the callee hears no answer' },
  { from: IDLE_CALL, on: { type: 'mediaConnected', at: 1 }, why: 'no call' },
  { from: inPhase('dialing'), on: { type: 'mediaConnected', at: 1 }, why: 'no media before the answer' },
  { from: inPhase('ringing'), on: { type: 'mediaInterrupted' }, why: 'no media yet' },
  { from: inPhase('ended'), on: { type: 'mediaInterrupted' }, why: 'media is gone' },
  { from: inPhase('connected'), on: rejoin, why: 'already in the call' },
  { from: IDLE_CALL, on: { type: 'hangUp' }, why: 'nothing to end' },
  { from: inPhase('ending'), on: { type: 'hangUp' }, why: 'a second press' },
  { from: inPhase('ended'), on: { type: 'fail', cause: 'late' }, why: 'ended already' },
  { from: inPhase('connected'), on: { type: 'endConfirmed' }, why: 'no end was asked for' },
  { from: IDLE_CALL, on: endedBusy, why: 'no call to end' },
  { from: inPhase('ended', { endReason: 'declined' }), on: endedBusy, why: 'the first end stands' },
  { from: inPhase('connected'), on: { type: 'dismiss' }, why: 'only an ended call is dismissed' },
  { from: inPhase('connected'), on: { type: 'giveUp' }, why: 'the media came back before the give-up' },
  { from: inPhase('ended'), on: { type: 'giveUp' }, why: 'ended already' },
];

describe('callReducer', () => {
  it.each(TRANSITIONS.map((row) => ({ ...row, name: `${row.from.phase} --${row.on.type}--> ${row.to.phase ?? row.from.phase}` })))('$name', ({ from, on, to }) => {
    const next = callReducer(from, on);
    expect(next).not.toBe(from);
    expect(next).toEqual({ ...from, ...to });
  });

  it.each(IGNORED.map((row) => ({ ...row, name: `${row.from.phase} ignores ${row.on.type}: ${row.why}` })))('$name', ({ from, on }) => {
    expect(callReducer(from, on)).toBe(from);
  });
});
