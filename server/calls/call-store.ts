import type { Kysely, Selectable } from 'kysely';
import type { Call } from '../../protocol';
import type { CallsTable, Database } from '../db/schema';

/** Reads and the conditional writes of calls; the service decides, this only speaks SQL. */

type Db = Kysely<Database>;
export type CallRow = Selectable<CallsTable> & { callerName: string };

export function selectCalls(db: Db) {
  return db.selectFrom('calls as c').innerJoin('users as caller', 'caller.id', 'c.callerId').selectAll('c').select('caller.displayName as callerName');
}

export function findCall(db: Db, callId: string): Promise<CallRow | undefined> {
  return selectCalls(db).where('c.id', '=', callId).executeTakeFirst();
}

export function toCall(row: CallRow): Call {
  return {
    id: row.id,
    conversationId: row.conversationId,
    callerId: row.callerId,
    callerName: row.callerName,
    calleeId: row.calleeId,
    kind: row.kind,
    state: row.state,
    createdAt: row.createdAt,
    answeredAt: row.answeredAt,
    endedAt: row.endedAt,
    endReason: row.endReason,
  };
}

/** Puts `userId` on the line of `callId`; false when they are on another call already. */
export async function takeLine(db: Db, userId: string, callId: string): Promise<boolean> {
  const result = await db.insertInto('callLines').values({ userId, callId }).onConflict((oc) => oc.column('userId').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function releaseLines(db: Db, callId: string): Promise<void> {
  await db.deleteFrom('callLines').where('callId', '=', callId).execute();
}

/** Calls not ended whose deadline (ring timeout, or a hold for a dropped side) has passed. */
export async function listOverdueCalls(db: Db, now: string): Promise<CallRow[]> {
  return selectCalls(db).where('c.state', '!=', 'ended').where('c.deadlineAt', '<=', now).execute();
}

/** Calls not ended that this socket carries a side of. */
export async function listCallsCarriedBy(db: Db, socketId: string): Promise<CallRow[]> {
  return selectCalls(db)
    .where('c.state', '!=', 'ended')
    .where((eb) => eb.or([eb('c.callerSocket', '=', socketId), eb('c.calleeSocket', '=', socketId)]))
    .execute();
}
