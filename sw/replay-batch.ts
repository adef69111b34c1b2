import { MutationBatchAnswers, type MutationAnswer } from '../protocol/mutations';
import { WRITER_HEADER } from '../protocol/worker-messages';
import type { HeadEntry } from './queue-head';

/**
 * Replaying a queue one request per mutation pays a round trip and a server request each; a
 * batch carries up to MAX_MUTATION_BATCH of them in one (`POST /api/mutations/batch`), applied in
 * order and answered one by one. The batch is only the fast path: whatever it does not settle for
 * good (the whole request failed, or it stopped at a gap or a failure of ours) goes back to the
 * head of the queue, where it stayed, and the one-at-a-time replay takes the head, with every answer's
 * next step (refresh, wait, retry, unchain) already written there.
 */

/** Keeps a batch well under the server's 256 KB body limit. */
export const MAX_BATCH_BYTES = 192 * 1024;
const BATCH_TIMEOUT_MS = 30_000;

/**
 * Sends the batch; returns the answers the server gave (a prefix of the batch, possibly empty when
 * the request as a whole failed). The caller settles the final ones and puts the rest back.
 */
export async function sendBatch(batch: HeadEntry[], token: string): Promise<MutationAnswer[]> {
  const first = batch[0]!;
  const headers = new Headers({ 'Content-Type': 'application/json', Authorization: `Bearer ${token}` });
  const writer = new Headers(first.headers).get(WRITER_HEADER);
  if (writer) headers.set(WRITER_HEADER, writer);
  const body = `{"mutations":[${batch.map((item) => item.body).join(',')}]}`;
  try {
    const response = await fetch(new URL('/api/mutations/batch', first.url), { method: 'POST', headers, body, signal: AbortSignal.timeout(BATCH_TIMEOUT_MS) });
    if (!response.ok) return [];
    const parsed = MutationBatchAnswers.safeParse(await response.json());
    return parsed.success ? parsed.data.answers.slice(0, batch.length) : [];
  } catch {
    return [];
  }
}
