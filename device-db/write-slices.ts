/**
 * How a large write is cut so that no single main-thread task does much of it (pure: the writer,
 * `write-changes.ts`, does the I/O).
 *
 * Issuing a put clones its row on the main thread, and a change plan's size grows with its
 * changes: thousands of either in one go are one long task. Cut into slices, the page runs
 * between them while the transaction stays open (each await is on a request of the transaction).
 */

/**
 * Rows issued per task. In bench/sync 250 (messages, with their search words) were tasks of 30-70
 * ms on a busy machine; 125 are about half that.
 */
export const WRITE_SLICE = 125;

/**
 * Changes read and planned per step: planning is one task, and 2,000 took 32 ms in bench/sync's
 * trace; a page of the feed (SYNC_PAGE_SIZE).
 */
export const PLAN_STEP = 1_000;

/**
 * `[start, end)` of each slice of `length` rows when two slices are kept in flight: while the
 * database stores one, the page issues the next, so neither waits for the other. The first slice
 * is a single row: issuing it and the next in one task then stays within one slice's work.
 */
export function pipelinedSlices(length: number, size = WRITE_SLICE): [number, number][] {
  const slices: [number, number][] = [];
  for (let start = 0; start < length; ) {
    const end = Math.min(length, start + (start === 0 ? 1 : size));
    slices.push([start, end]);
    start = end;
  }
  return slices;
}
