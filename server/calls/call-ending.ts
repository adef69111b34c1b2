import { newRowId, type CallEndReason, type Message } from '../../protocol';
import type { ChangeStamp } from '../activities/activity-events';
import { advanceReceipt } from '../chat/chat-service';
import { takeNextSeq } from '../db/change-sequence';
import type { Db } from '../db/connect';
import { callLineText } from './call-line';
import { queueCallPushes } from './call-pushes';
import { pushesItsEnd } from './call-rules';
import { findCall, releaseLines, toCall, type CallRow } from './call-store';

export interface EndedCall {
  call: CallRow;
  line: Message;
  stamp: ChangeStamp;
  /** Pushes queued for the callee's devices (a ringing call's notification becomes a missed call). */
  pushesQueued: number;
}

/**
 * Ends a call if it is still in one of `from` (and, with `overdueAt`, only if its deadline has
 * passed by then), frees both people's lines and writes the call's line into the conversation,
 * all in one transaction. The state change is conditional, so when two ends race (a hang-up and
 * the ring timeout, two processes) exactly one wins and exactly one line is written; the loser
 * gets undefined. The line syncs like any message: it takes its change position and is sent by
 * the caller, who has read it; the callee has not (a missed call counts as unread). A call that
 * rang and was never answered also pushes its end to the callee's devices, in the same transaction.
 */
export async function endCall(
  db: Db,
  input: { callId: string; from: ('ringing' | 'active')[]; reason: CallEndReason; cause: string | null; at: string; overdueAt?: string },
): Promise<EndedCall | undefined> {
  return db.transaction().execute(async (trx) => {
    const seq = await takeNextSeq(trx);
    let update = trx
      .updateTable('calls')
      .set({ state: 'ended', endedAt: input.at, endReason: input.reason, endCause: input.cause, deadlineAt: null })
      .where('id', '=', input.callId)
      .where('state', 'in', input.from);
    if (input.overdueAt !== undefined) update = update.where('deadlineAt', '<=', input.overdueAt);
    const result = await update.executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      // Someone else ended it first: roll back, which gives the position back too.
      throw new NotEnded();
    }
    const call = (await findCall(trx, input.callId))!;
    await releaseLines(trx, call.id);
    const durationMs = call.answeredAt ? Date.parse(input.at) - Date.parse(call.answeredAt) : null;
    const line: Message = {
      id: newRowId(),
      conversationId: call.conversationId,
      senderId: call.callerId,
      senderName: call.callerName,
      kind: 'call',
      body: callLineText(call.kind, input.reason, durationMs),
      createdAt: input.at,
      seq,
    };
    await trx
      .insertInto('messages')
      .values({ id: line.id, conversationId: line.conversationId, senderId: line.senderId, kind: 'call', body: line.body, createdAt: line.createdAt, seq, changedSeq: seq, replyToId: null, editedAt: null, deletedAt: null, reactions: null })
      .execute();
    await advanceReceipt(trx, call.conversationId, call.callerId, { deliveredSeq: seq, readSeq: seq }, seq);
    const pushesQueued = pushesItsEnd(call, input.reason) ? await queueCallPushes(trx, toCall(call), input.at, null) : 0;
    return { call, line, stamp: { seq, at: input.at }, pushesQueued };
  }).catch((error: unknown) => {
    if (error instanceof NotEnded) return undefined;
    throw error;
  });
}

class NotEnded extends Error {}
