import { AFTER_ALL_KINDS, type SyncCursor } from './sync-cursor';

/** Where one log page starts, ends and stops: pure, so each case has a row in its test. */

export type LogCursor = Extract<SyncCursor, { phase: 'log' }>;

/**
 * How many positions one log page looks at, at most. Without a bound, a user who sees little of a
 * busy history (or a device away for months) would make one pull walk every change since its
 * cursor to fill a page. A window that yields less than a page still moves the cursor to its end,
 * with `hasMore`, so the client pulls on through the next window.
 */
export const LOG_WINDOW_POSITIONS = 10_000;

/** The last position a page from `cursor` looks at, `head` being the newest there is. */
export function logWindowEnd(cursor: LogCursor, head: number, windowPositions = LOG_WINDOW_POSITIONS): number {
  return Math.min(cursor.seq + windowPositions, head);
}

/** The last item a page delivers: where its cursor stands. */
export interface DeliveredItem {
  feedPosition: number;
  kind: number;
  id: string;
}

/**
 * The cursor after a page. `more` says the window held more items than the page took: the page
 * stops at its last one. Otherwise the window is exhausted, everything up to `windowEnd` is
 * delivered, and only positions beyond it remain.
 */
export function cursorAfterPage(
  cursor: LogCursor,
  page: { last: DeliveredItem | undefined; more: boolean },
  windowEnd: number,
  head: number,
): { cursor: LogCursor; hasMore: boolean } {
  const at = (item: DeliveredItem): LogCursor => ({ ...cursor, seq: item.feedPosition, kind: item.kind, afterId: item.id });
  if (page.more && page.last) return { cursor: at(page.last), hasMore: true };
  if (windowEnd > cursor.seq) return { cursor: { ...cursor, seq: windowEnd, kind: AFTER_ALL_KINDS, afterId: '' }, hasMore: windowEnd < head };
  return { cursor: page.last ? at(page.last) : cursor, hasMore: false };
}
