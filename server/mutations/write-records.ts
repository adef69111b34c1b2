import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { preparedQuery } from '../db/prepared-query';
import { AppError } from '../http/app-error';

/**
 * The record of a write that must happen once: a client's mutation, or a REST write under an
 * Idempotency-Key. Stored answers are replayed as they were; `httpStatus` 0 marks a claim whose
 * write is still in flight.
 */
type Trx = Kysely<Database>;

export interface RecordKey {
  userId: string;
  clientId: string;
  mutationId: number;
}

export interface StoredAnswer<B> {
  httpStatus: number;
  body: B;
}

/** The answer stored under `key`, with the name it was recorded under; none while only claimed. */
export async function readStoredAnswer<B>(executor: Trx, key: RecordKey): Promise<(StoredAnswer<B> & { name: string }) | undefined> {
  const row = await executor
    .selectFrom('mutations')
    .select(['name', 'httpStatus', 'response'])
    .where('userId', '=', key.userId)
    .where('clientId', '=', key.clientId)
    .where('mutationId', '=', key.mutationId)
    .executeTakeFirst();
  if (!row || Number(row.httpStatus) === 0) return undefined;
  return { name: row.name, httpStatus: Number(row.httpStatus), body: JSON.parse(row.response) as B };
}

/**
 * Inserts the record (with `answer`, or as a placeholder to claim it); false when a record
 * exists. A twin in flight holds the key: this insert waits for it, then finds it.
 */
export async function insertRecord<B>(trx: Trx, key: RecordKey, name: string, answer: StoredAnswer<B> | null, createdAt: string): Promise<boolean> {
  const inserted = await insertRecordQuery(trx, {
    userId: key.userId,
    clientId: key.clientId,
    mutationId: key.mutationId,
    name,
    httpStatus: answer?.httpStatus ?? 0,
    response: answer ? JSON.stringify(answer.body) : '',
    createdAt,
  });
  return Number(inserted.numAffectedRows ?? 0n) === 1;
}

// Every write runs these two: built once (see preparedQuery).
const insertRecordQuery = preparedQuery<'userId' | 'clientId' | 'mutationId' | 'name' | 'httpStatus' | 'response' | 'createdAt'>((db, param) =>
  db
    .insertInto('mutations')
    .values({
      userId: param('userId'),
      clientId: param('clientId'),
      mutationId: param('mutationId'),
      name: param('name'),
      httpStatus: param('httpStatus'),
      response: param('response'),
      createdAt: param('createdAt'),
    })
    .onConflict((oc) => oc.columns(['userId', 'clientId', 'mutationId']).doNothing()),
);

const completeRecordQuery = preparedQuery<'userId' | 'clientId' | 'mutationId' | 'httpStatus' | 'response'>((db, param) =>
  db
    .updateTable('mutations')
    .set({ httpStatus: param('httpStatus'), response: param('response') })
    .where('userId', '=', param('userId'))
    .where('clientId', '=', param('clientId'))
    .where('mutationId', '=', param('mutationId')),
);

/** Stores the answer of a claimed record; answers its body as stored (JSON). */
export async function completeRecord<B>(trx: Trx, key: RecordKey, answer: StoredAnswer<B>): Promise<string> {
  const response = JSON.stringify(answer.body);
  await completeRecordQuery(trx, { userId: key.userId, clientId: key.clientId, mutationId: key.mutationId, httpStatus: answer.httpStatus, response });
  return response;
}

/**
 * Whether a write's failure is its final answer, stored like a success: a refusal (4xx). A failure
 * of ours (5xx) or of the credential is not: the sender tries again and may get another answer.
 */
export function isFinalRefusal(error: unknown): error is AppError {
  return error instanceof AppError && error.status < 500 && error.code !== 'unauthorized' && error.code !== 'token_expired';
}

/** Thrown inside a write's transaction when a twin holds its record: the twin's answer is the answer. */
export class DuplicateWrite extends Error {}
