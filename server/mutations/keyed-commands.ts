import type { ErrorBody } from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import { AppError } from '../http/app-error';
import { runWriteCommand, type WriteCommand, type WriteResult } from './write-commands';
import { completeRecord, DuplicateWrite, insertRecord, isFinalRefusal, readStoredAnswer, type RecordKey, type StoredAnswer } from './write-records';
import { inWriteTransaction, type WriteDeps } from './write-transaction';

/** What names a REST write that must happen once: the sender's key, and what the request said. */
export interface WriteIdentity {
  key: string;
  /** Method, path and body: the same key sent with another request is refused, never answered with the first one's answer. */
  fingerprint: string;
}

type KeyedAnswer = StoredAnswer<WriteResult | { error: ErrorBody }>;

/**
 * A REST write under an Idempotency-Key, recorded like a client's mutation: claimed first in its
 * transaction, answered from the record when it comes again (a refusal too), kept as long as
 * mutation records are. The record lives beside mutations under a client id no client can have
 * (theirs are UUIDs) and never moves a client's `lastMutationId`.
 */
export async function applyKeyedCommand(deps: WriteDeps, viewer: Viewer, command: WriteCommand, identity: WriteIdentity): Promise<WriteResult> {
  const key: RecordKey = { userId: viewer.id, clientId: `idempotency-key:${identity.key}`, mutationId: 0 };
  const stored = await readStoredAnswer<KeyedAnswer['body']>(deps.db, key);
  if (stored) return replay(stored, identity);
  try {
    return await inWriteTransaction(deps, viewer, async (trx, services) => {
      // Claim first: a twin arriving now waits here instead of doing the work twice.
      if (!(await insertRecord(trx, key, identity.fingerprint, null, deps.now().toISOString()))) throw new DuplicateWrite();
      const result = await runWriteCommand(services, viewer, command);
      await completeRecord<KeyedAnswer['body']>(trx, key, { httpStatus: 200, body: result });
      return result;
    });
  } catch (error) {
    if (error instanceof DuplicateWrite) return replay((await readStoredAnswer<KeyedAnswer['body']>(deps.db, key))!, identity);
    if (!isFinalRefusal(error)) throw error;
    const refused: KeyedAnswer = { httpStatus: error.status, body: error.toBody() };
    const recorded = await deps.db.transaction().execute((trx) => insertRecord(trx, key, identity.fingerprint, refused, deps.now().toISOString()));
    if (recorded) throw error;
    return replay((await readStoredAnswer<KeyedAnswer['body']>(deps.db, key)) ?? { ...refused, name: identity.fingerprint }, identity);
  }
}

function replay(stored: KeyedAnswer & { name: string }, identity: WriteIdentity): WriteResult {
  if (stored.name !== identity.fingerprint) {
    throw new AppError('invalid_input', 'This Idempotency-Key was used for another request', {
      fields: { 'Idempotency-Key': 'was used for another request' },
    });
  }
  if ('error' in stored.body) {
    const { code, message, fields, current } = stored.body.error;
    throw new AppError(code, message, { ...(fields ? { fields } : {}), ...(current !== undefined ? { current } : {}) });
  }
  return stored.body;
}
