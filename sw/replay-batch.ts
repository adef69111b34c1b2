import type { Queue } from 'workbox-background-sync';
import { MAX_MUTATION_BATCH, MutationBatchAnswers, type MutationAnswer } from '../protocol/mutations';
import { WRITER_HEADER } from '../protocol/worker-messages';
import type { QueueEntry } from './mutation-queues';

/**
 * Replaying a queue one request per mutation pays a round trip and a server request each; a
 * batch carries up to MAX_MUTATION_BATCH of them in one (`POST /api/mutations/batch`), applied in
 * order and answered one by one. The batch is only the fast path: whatever it does not settle for
 * good (the whole request failed, or it stopped at a gap or a failure of ours) goes back to the
 * front of the queue, in order, and the one-at-a-time replay takes the head, with every answer's
 * next step (refresh, wait, retry, unchain) already written there.
 */

/** Keeps a batch well under the server's 256 KB body limit. */
const MAX_BATCH_BYTES = 192 * 1024;
const BATCH_TIMEOUT_MS = 30_000;

export interface BatchItem {
  entry: QueueEntry;
  body: string;
}

/**
 * `first` and the entries after it, up to the limits. Expired entries met on the way are handed to
 * `expire` (they are settled as failed, never sent).
 */
export async function takeBatch(queue: Queue, first: BatchItem, isExpired: (entry: QueueEntry) => boolean, expire: (item: BatchItem) => void): Promise<BatchItem[]> {
  const batch = [first];
  let bytes = first.body.length;
  while (batch.length < MAX_MUTATION_BATCH) {
    const entry = await queue.shiftRequest();
    if (!entry) break;
    const item = { entry, body: await entry.request.clone().text() };
    if (isExpired(entry)) {
      expire(item);
      continue;
    }
    if (bytes + item.body.length > MAX_BATCH_BYTES) {
      await queue.unshiftRequest(entry);
      break;
    }
    batch.push(item);
    bytes += item.body.length;
  }
  return batch;
}

/**
 * Sends the batch; returns the answers the server gave (a prefix of the batch, possibly empty when
 * the request as a whole failed). The caller settles the final ones and puts the rest back.
 */
export async function sendBatch(batch: BatchItem[], token: string): Promise<MutationAnswer[]> {
  const first = batch[0]!.entry.request;
  const headers = new Headers({ 'Content-Type': 'application/json', Authorization: `Bearer ${token}` });
  const writer = first.headers.get(WRITER_HEADER);
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
