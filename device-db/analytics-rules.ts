/**
 * The analytics queue's rules, purely: how much to drop when it is full, and what goes in one
 * request. Shared by the page and the service worker, which both send from the queue.
 */

/** Queued events a device keeps at most; beyond it the oldest go first. */
export const ANALYTICS_QUEUE_CAP = 5_000;
/** Bytes of events per request: well under the server's 256 KB body limit. */
export const MAX_BATCH_BYTES = 192 * 1024;
/** A beacon's whole body must stay under the browser's 64 KB for requests outliving their page. */
export const MAX_BEACON_BYTES = 60 * 1024;

/** Events recorded together and stored as one row of the queue (one request's worth at most). */
export const EVENTS_PER_BURST = 100;

/**
 * Cuts events into the rows the queue stores: consecutive events of the same user, at most
 * `EVENTS_PER_BURST` to a row, in order. A row of 100 events costs IndexedDB about a tenth of 100
 * rows of one (measured in Chromium: 3 ms against 27 ms), and a write beside a message on its way
 * holds that message up for as long.
 */
export function groupIntoBursts<T extends { userId: string }>(rows: readonly T[], perBurst = EVENTS_PER_BURST): T[][] {
  const bursts: T[][] = [];
  for (const row of rows) {
    const last = bursts.at(-1);
    if (last && last.length < perBurst && last[0]!.userId === row.userId) last.push(row);
    else bursts.push([row]);
  }
  return bursts;
}

/**
 * Which of the oldest rows to drop, and how many events to cut from the front of the next, so
 * that `drop` events leave the queue (`sizes`: each row's event count, oldest first).
 */
export function dropFromHead(sizes: readonly number[], drop: number): { wholeRows: number; fromNext: number } {
  let wholeRows = 0;
  let left = drop;
  while (wholeRows < sizes.length && left >= sizes[wholeRows]!) left -= sizes[wholeRows++]!;
  return { wholeRows, fromNext: wholeRows < sizes.length ? left : 0 };
}

/** How many of the oldest queued events to drop so that `incoming` more fit under `cap`. */
export function overflowCount(queued: number, incoming: number, cap = ANALYTICS_QUEUE_CAP): number {
  return Math.max(0, queued + incoming - cap);
}

/**
 * The longest run from the head of the queue that fits in one request: at most `maxEvents`, and
 * at most `maxBytes` of JSON (the first event always goes, whatever its size: the server's contract
 * bounds one event far below the limit).
 */
export function takeBatch<T>(queued: readonly T[], maxEvents: number, maxBytes: number): T[] {
  const batch: T[] = [];
  let bytes = 0;
  for (const item of queued) {
    if (batch.length === maxEvents) break;
    const size = new TextEncoder().encode(JSON.stringify(item)).length + 1;
    if (batch.length > 0 && bytes + size > maxBytes) break;
    batch.push(item);
    bytes += size;
  }
  return batch;
}
