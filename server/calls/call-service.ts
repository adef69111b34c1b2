import { randomUUID } from 'node:crypto';
import type { Call, CallEndPayload, CallEndReason, CallInvitePayload, CallSignal } from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import type { ChatEvents } from '../chat/chat-events';
import { findConversationFor } from '../chat/chat-store';
import type { Insertable } from 'kysely';
import type { Db } from '../db/connect';
import type { CallsTable } from '../db/schema';
import { AppError, notFound } from '../http/app-error';
import { blockBetween } from '../safety/blocks-store';
import type { CallSettings } from './call-config';
import { endCall } from './call-ending';
import { queueCallPushes } from './call-pushes';
import type { CallEvents } from './call-events';
import { endReasonFor, otherSide, overdueReason, sideOf, socketOf, type Side } from './call-rules';
import { findCall, listCallsCarriedBy, listOverdueCalls, takeLine, toCall, type CallRow, selectCalls } from './call-store';
import { createDeadlineTimers } from './deadline-timers';

/** A person acting on a call from one socket (the one that will carry their side). */
export interface CallActor extends Viewer {
  socketId: string;
}

export interface CallService {
  invite(actor: CallActor, input: CallInvitePayload): Promise<Call>;
  ringing(actor: CallActor, callId: string): Promise<void>;
  accept(actor: CallActor, callId: string): Promise<Call>;
  /** From a socket, or from a notification's Decline button (the worker has no socket): any device of the callee. */
  decline(actor: Viewer, callId: string): Promise<void>;
  cancel(actor: CallActor, callId: string): Promise<void>;
  end(actor: CallActor, input: CallEndPayload): Promise<void>;
  signal(actor: CallActor, callId: string, signal: CallSignal): Promise<void>;
  rejoin(actor: CallActor, callId: string): Promise<Call>;
  /** The call ringing for this user now, if any: a device that connects while it rings rings too. */
  ringingFor(userId: string): Promise<Call | null>;
  /** A socket closed: the calls it carried wait `rejoinHoldMs` for that side to come back. */
  socketClosed(socketId: string): Promise<void>;
  /** Ends every call whose deadline has passed (timers do it on time; this catches a crashed process's). */
  endOverdue(): Promise<void>;
  close(): void;
}

/**
 * Calls: the record, who may do what, and the deadlines. Every change is a conditional update of
 * the call's row, so processes behind Redis can act on one call without stepping on each other;
 * events reach sockets through user rooms and socket ids, which the adapter spans.
 */
export function createCallService(deps: {
  db: Db;
  events: CallEvents;
  chatEvents: ChatEvents;
  settings: CallSettings;
  now: () => Date;
  /** Pushes were queued (for a callee with no live connection): the dispatcher should look now. */
  onPushQueued?: () => void;
}): CallService {
  const { db, events, settings, now } = deps;
  const iso = (offsetMs = 0) => new Date(now().getTime() + offsetMs).toISOString();
  const timers = createDeadlineTimers((callId) => finishIfOverdue(callId));

  async function finish(call: CallRow, reason: CallEndReason, cause: string | null, overdueAt?: string): Promise<boolean> {
    if (call.state === 'ended') return false;
    const ended = await endCall(db, { callId: call.id, from: [call.state], reason, cause, at: iso(), ...(overdueAt ? { overdueAt } : {}) });
    if (!ended) return false;
    timers.clear(call.id);
    if (ended.pushesQueued > 0) deps.onPushQueued?.();
    events.ended(toCall(ended.call), cause);
    await deps.chatEvents.messageSent(ended.line, ended.stamp);
    return true;
  }

  async function finishIfOverdue(callId: string): Promise<void> {
    const call = await findCall(db, callId);
    if (call && call.state !== 'ended' && call.deadlineAt !== null && call.deadlineAt <= iso()) {
      await finish(call, overdueReason(call.state), null, iso());
    }
  }

  /** The call and the actor's side of it; someone else's call does not exist for them. */
  async function requireSide(actor: Viewer, callId: string): Promise<{ call: CallRow; side: Side }> {
    const call = await findCall(db, callId);
    const side = call ? sideOf(call, actor.id) : null;
    if (!call || !side) throw notFound('Call');
    return { call, side };
  }

  function requireLive(call: CallRow): asserts call is CallRow & { state: 'ringing' | 'active' } {
    if (call.state === 'ended') throw new AppError('conflict', 'This call has ended');
  }

  return {
    async invite(actor, input) {
      const conversation = await findConversationFor(db, input.conversationId, actor.id);
      if (!conversation) throw notFound('Conversation');
      const peerId = conversation.userA === actor.id ? conversation.userB : conversation.userA;
      if (conversation.kind !== 'direct' || !peerId) {
        throw new AppError('invalid_input', 'Calls are between the two people of a direct conversation', { fields: { conversationId: 'is not a direct conversation' } });
      }
      // A block stops calls as it stops messages, either way, and says as little.
      const block = await blockBetween(db, actor.id, peerId);
      if (block.aBlocksB) throw new AppError('blocked', 'You blocked this person. Unblock them to call.');
      if (block.bBlocksA) throw new AppError('blocked', 'You can’t call this person.');
      // A process that crashed left its deadlines behind: end those calls before counting lines.
      await this.endOverdue();
      const id = randomUUID();
      const at = iso();
      const ringsUntil = iso(settings.ringTimeoutMs);
      // The row as stored (with the caller's name as their token has it): nothing else writes a call
      // before its invitation returns, so it is not read back.
      const stored = { id, conversationId: conversation.id, callerId: actor.id, calleeId: peerId, kind: input.kind, state: 'ringing', callerSocket: actor.socketId, calleeSocket: null, createdAt: at, answeredAt: null, endedAt: null, endReason: null, endCause: null, deadlineAt: ringsUntil } satisfies Insertable<CallsTable>;
      const call: CallRow = { ...stored, callerName: actor.displayName };
      const { busy, pushesQueued } = await db.transaction().execute(async (trx) => {
        await trx.insertInto('calls').values(stored).execute();
        if (!(await takeLine(trx, actor.id, id))) throw new AppError('conflict', 'You are in a call already; end it first');
        if (!(await takeLine(trx, peerId, id))) return { busy: true, pushesQueued: 0 };
        // Devices of the callee with no live connection ring through a push.
        return { busy: false, pushesQueued: await queueCallPushes(trx, toCall(call), at, ringsUntil) };
      });
      if (pushesQueued > 0) deps.onPushQueued?.();
      if (busy) {
        // Recorded and ended at once: the callee's chat says someone tried.
        await finish(call, 'busy', null);
        return toCall((await findCall(db, id))!);
      }
      timers.arm(id, settings.ringTimeoutMs);
      events.incoming(toCall(call));
      return toCall(call);
    },

    async ringing(actor, callId) {
      const { call, side } = await requireSide(actor, callId);
      if (side !== 'callee' || call.state !== 'ringing' || !call.callerSocket) return;
      events.ringing(toCall(call), call.callerSocket);
    },

    async accept(actor, callId) {
      const { call, side } = await requireSide(actor, callId);
      if (side !== 'callee') throw new AppError('forbidden', 'Only the person called can answer');
      const result = await db
        .updateTable('calls')
        .set({ state: 'active', calleeSocket: actor.socketId, answeredAt: iso(), deadlineAt: null })
        .where('id', '=', callId)
        .where('state', '=', 'ringing')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) {
        throw new AppError('conflict', call.state === 'active' ? 'Answered on another device' : 'This call has ended');
      }
      timers.clear(callId);
      const answered = (await findCall(db, callId))!;
      events.accepted(toCall(answered), answered.callerSocket ?? '', actor.socketId);
      return toCall(answered);
    },

    async decline(actor, callId) {
      const { call, side } = await requireSide(actor, callId);
      if (side !== 'callee' || call.state !== 'ringing') throw new AppError('conflict', 'Only a ringing call can be declined, by the person called');
      if (!(await finish(call, 'declined', null))) throw new AppError('conflict', 'This call has ended');
    },

    async cancel(actor, callId) {
      const { call, side } = await requireSide(actor, callId);
      if (side !== 'caller' || call.state !== 'ringing') throw new AppError('conflict', 'Only a ringing call can be cancelled, by the caller');
      if (!(await finish(call, 'cancelled', null))) throw new AppError('conflict', 'This call has ended');
    },

    async end(actor, input) {
      const { call, side } = await requireSide(actor, input.callId);
      requireLive(call);
      if (!(await finish(call, endReasonFor(call.state, side, input.reason), input.cause ?? null))) throw new AppError('conflict', 'This call has ended');
    },

    async signal(actor, callId, signal) {
      const { call, side } = await requireSide(actor, callId);
      requireLive(call);
      if (call.state !== 'active') throw new AppError('conflict', 'The call has not been answered yet');
      if (socketOf(call, side) !== actor.socketId) throw new AppError('forbidden', 'Another of your devices carries this call');
      const to = socketOf(call, otherSide(side));
      if (to) events.signal(callId, to, signal);
    },

    async rejoin(actor, callId) {
      const { call, side } = await requireSide(actor, callId);
      requireLive(call);
      if (call.state !== 'active') throw new AppError('conflict', 'Only an answered call can be rejoined');
      await db
        .updateTable('calls')
        .set(side === 'caller' ? { callerSocket: actor.socketId, deadlineAt: null } : { calleeSocket: actor.socketId, deadlineAt: null })
        .where('id', '=', callId)
        .where('state', '=', 'active')
        .execute();
      timers.clear(callId);
      const to = socketOf(call, otherSide(side));
      if (to) events.rejoined(callId, to);
      return toCall((await findCall(db, callId))!);
    },

    async ringingFor(userId) {
      const row = await selectCalls(db).where('c.calleeId', '=', userId).where('c.state', '=', 'ringing').where('c.deadlineAt', '>', iso()).executeTakeFirst();
      return row ? toCall(row) : null;
    },

    async socketClosed(socketId) {
      for (const call of await listCallsCarriedBy(db, socketId)) {
        if (call.state === 'ringing') {
          // Only the caller's socket carries a ringing call: their page went away while dialing.
          await finish(call, 'cancelled', null);
          continue;
        }
        await db.updateTable('calls').set({ deadlineAt: iso(settings.rejoinHoldMs) }).where('id', '=', call.id).where('state', '=', 'active').execute();
        timers.arm(call.id, settings.rejoinHoldMs);
      }
    },

    async endOverdue() {
      const at = iso();
      for (const call of await listOverdueCalls(db, at)) {
        if (call.state !== 'ended') await finish(call, overdueReason(call.state), null, at);
      }
    },

    close: () => timers.closeAll(),
  };
}
