import type { Kysely } from 'kysely';
import type { Mutation, MutationApplied, MutationRejected } from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import type { Database } from '../db/schema';
import { preparedQuery } from '../db/prepared-query';
import { AppError } from '../http/app-error';
import { applyKeyedCommand, type WriteIdentity } from './keyed-commands';
import { commandOfMutation, mutationAppliedBody } from './mutation-commands';
import { runWriteCommand, type WriteCommand, type WriteResult } from './write-commands';
import { completeRecord, DuplicateWrite, insertRecord, isFinalRefusal, readStoredAnswer, type RecordKey } from './write-records';
import { inWriteTransaction, type WriteDeps } from './write-transaction';

export interface MutationOutcome {
  httpStatus: number;
  body: MutationApplied | MutationRejected;
  /** `body` as JSON, when it was just made for the record: sent as it is, not serialized again. */
  json?: string;
}

export interface MutationService {
  /** Applies the mutation once; the same (user, client, mutation) again returns the stored outcome. */
  apply(viewer: Viewer, mutation: Mutation): Promise<MutationOutcome>;
  /**
   * Records a refusal of a mutation that could not even be read (it names itself, nothing else
   * holds): it is settled like any refusal, so one chained after it is no gap, and a repeat is
   * answered the same.
   */
  refuseUnreadable(viewer: Viewer, ids: { clientId: string; mutationId: number; name: string }, error: AppError): Promise<MutationOutcome>;
  /**
   * A write that carries no client mutation id (a REST call, an item of a bulk request): the same
   * transaction, conflict rules and events as `apply`. Named by an Idempotency-Key, it is recorded
   * and a repeat gets the stored answer; without one it is applied once and not recorded.
   */
  applyCommand(viewer: Viewer, command: WriteCommand, identity?: WriteIdentity): Promise<WriteResult>;
  /** The highest mutation id the server has settled for this client (0: none). */
  lastMutationId(userId: string, clientId: string): Promise<number>;
}

type Trx = Kysely<Database>;

/**
 * Exactly-once mutations. The change and the record of its outcome commit together; a copy that
 * arrives while the first is in flight waits on the record's primary key and then reads it. A
 * refusal (4xx) is recorded too, so a replay is refused the same way. Transient failures (5xx)
 * are not recorded: the client retries them.
 */
export function createMutationService(deps: WriteDeps): MutationService {
  const { db, now } = deps;

  const keyOf = (userId: string, mutation: Pick<Mutation, 'clientId' | 'mutationId'>): RecordKey => ({
    userId,
    clientId: mutation.clientId,
    mutationId: mutation.mutationId,
  });

  async function storedOutcome(executor: Trx, userId: string, mutation: Pick<Mutation, 'clientId' | 'mutationId'>): Promise<MutationOutcome | undefined> {
    const stored = await readStoredAnswer<MutationOutcome['body']>(executor, keyOf(userId, mutation));
    return stored && { httpStatus: stored.httpStatus, body: stored.body };
  }

  /** Inserts the mutation's record (with `outcome`, or as a placeholder to claim it); false when a record exists. */
  async function record(trx: Trx, userId: string, mutation: Pick<Mutation, 'clientId' | 'mutationId' | 'name'>, outcome: MutationOutcome | null): Promise<boolean> {
    if (!(await insertRecord(trx, keyOf(userId, mutation), mutation.name, outcome, now().toISOString()))) return false;
    if (outcome) await advanceClient(trx, userId, mutation);
    return true;
  }

  /** Stores the outcome of a claimed mutation; it comes back with its JSON. */
  async function complete(trx: Trx, userId: string, mutation: Mutation, outcome: MutationOutcome): Promise<MutationOutcome> {
    const json = await completeRecord(trx, keyOf(userId, mutation), outcome);
    await advanceClient(trx, userId, mutation);
    return { ...outcome, json };
  }

  async function advanceClient(trx: Trx, userId: string, mutation: Pick<Mutation, 'clientId' | 'mutationId'>): Promise<void> {
    await advanceClientQuery(trx, { userId, clientId: mutation.clientId, mutationId: mutation.mutationId });
  }

  /**
   * A client's mutations land in the order it made them, whatever carried each: one that names an
   * earlier mutation still on its way waits for it. `lastMutationId` is the highest this client
   * has settled (applied or refused), so a predecessor at or below it has been answered (or pruned
   * long after). The answer is retryable and never recorded: the same mutation goes through
   * once its predecessor has.
   */
  async function requireNoGap(userId: string, mutation: Mutation): Promise<void> {
    const after = mutation.afterMutationId;
    if (after === undefined || after < 1) return;
    if (after >= mutation.mutationId) throw new AppError('invalid_input', 'afterMutationId must name an earlier mutation', { fields: { afterMutationId: 'must be below mutationId' } });
    if ((await lastMutationId(userId, mutation.clientId)) >= after) return;
    throw new AppError('mutation_gap', `Mutation ${after} of this client has not arrived yet; send this one again after it`);
  }

  async function lastMutationId(userId: string, clientId: string): Promise<number> {
    const row = await db
      .selectFrom('mutationClients')
      .select('lastMutationId')
      .where('userId', '=', userId)
      .where('clientId', '=', clientId)
      .executeTakeFirst();
    return row ? Number(row.lastMutationId) : 0;
  }

  return {
    lastMutationId,

    async refuseUnreadable(viewer, ids, error) {
      const earlier = await storedOutcome(db, viewer.id, ids);
      if (earlier) return earlier;
      const refused: MutationOutcome = { httpStatus: error.status, body: { ...error.toBody(), mutation: { clientId: ids.clientId, mutationId: ids.mutationId } } };
      const recorded = await db.transaction().execute((trx) => record(trx, viewer.id, { ...ids, name: ids.name as Mutation['name'] }, refused));
      return recorded ? refused : ((await storedOutcome(db, viewer.id, ids)) ?? refused);
    },

    applyCommand(viewer, command, identity) {
      if (identity) return applyKeyedCommand(deps, viewer, command, identity);
      return inWriteTransaction(deps, viewer, (_trx, services) => runWriteCommand(services, viewer, command));
    },

    async apply(viewer, mutation) {
      await requireNoGap(viewer.id, mutation);

      try {
        return await inWriteTransaction(deps, viewer, async (trx, services) => {
          // Claim first: a twin arriving now waits here instead of doing the work twice. A repeat
          // of one already settled finds its record here too and is answered from it: no read
          // before the transaction, which every first arrival (nearly all of them) paid for.
          if (!(await record(trx, viewer.id, mutation, null))) throw new DuplicateWrite();
          const result = await runWriteCommand(services, viewer, commandOfMutation(mutation));
          return complete(trx, viewer.id, mutation, { httpStatus: 200, body: mutationAppliedBody(mutation, result) });
        });
      } catch (error) {
        if (error instanceof DuplicateWrite) return (await storedOutcome(db, viewer.id, mutation))!;
        if (!isFinalRefusal(error)) throw error;
        const refused: MutationOutcome = {
          httpStatus: error.status,
          body: { ...error.toBody(), mutation: { clientId: mutation.clientId, mutationId: mutation.mutationId } },
        };
        const recorded = await db.transaction().execute((trx) => record(trx, viewer.id, mutation, refused));
        return recorded ? refused : ((await storedOutcome(db, viewer.id, mutation)) ?? refused);
      }
    },
  };
}

// Every mutation runs it: built once (see preparedQuery). Only ever raises the client's last id.
const advanceClientQuery = preparedQuery<'userId' | 'clientId' | 'mutationId'>((db, param) =>
  db
    .insertInto('mutationClients')
    .values({ userId: param('userId'), clientId: param('clientId'), lastMutationId: param('mutationId') })
    .onConflict((oc) =>
      oc.columns(['userId', 'clientId']).doUpdateSet((eb) => ({
        lastMutationId: eb
          .case()
          .when('mutationClients.lastMutationId', '<', param('mutationId'))
          // Bound, not written into the SQL text as kysely writes a THEN value.
          .then(eb.val(param('mutationId')))
          .else(eb.ref('mutationClients.lastMutationId'))
          .end(),
      })),
    ),
);
