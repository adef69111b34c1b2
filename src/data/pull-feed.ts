import { FEED_LAST_CHANGED_IN, PROTOCOL_VERSION, PROTOCOL_VERSION_WITHOUT_HEADER, type SyncResponse } from '../../protocol';
import { ApiError } from '../net/api-error';
import type { RallyLocalDb } from '../../device-db/local-db';
import { writeChanges } from '../../device-db/write-changes';
import { nextTask } from './next-task';

export type FetchSyncPage = (cursor: string | null, limit: number) => Promise<SyncResponse>;

export interface PullReport {
  changes: number;
  pages: number;
  full: boolean;
  /**
   * `Date.now()` just before the pull's first request was made: the server's answer holds every
   * change made before that, so a pull asked for earlier is answered by this one (sync-engine.ts).
   * The wall clock, as the page and the sync worker read the same one at any moment.
   */
  firstRequestAt: number;
}

/** The sync state's row of the feed: its cursor and position. */
export const FEED_STATE_KEY = 'feed';

/**
 * Changes asked for per page. Where the pull runs on the page (no Worker), the body's JSON is
 * parsed in one main-thread task when it arrives (Response.json() cannot be cut), so this bounds
 * that task: in bench/sync's traces pages of 2,000 changes took 40-56 ms of parsing each.
 */
export const SYNC_PAGE_SIZE = 1000;

/** Changes written per transaction: each commit wakes every live query, and fewer commits finish sooner. */
const WRITE_BATCH_SIZE = 10_000;

export interface PullOptions {
  /** Checked between pages: true once the session this pull works for has ended. */
  isStopped?: () => boolean;
}

/**
 * Pulls the feed into the device's database until the server has nothing more, from the cursor
 * the database holds. Pages are pipelined: the next is on the wire while the current one is
 * written, and the cursor commits with the rows it describes. Pure of the page: it runs in the
 * sync worker (src/data/sync-worker.ts) and, where there is none, on the page.
 */
export async function pullFeed(db: RallyLocalDb, fetchPage: FetchSyncPage, options: PullOptions = {}): Promise<PullReport> {
  const { isStopped = () => false } = options;
  const state = await db.syncState.get(FEED_STATE_KEY);
  // A cursor pulled under an older protocol than the feed's last change has skipped (or turned
  // into something else) what that page could not parse: start over, replacing what the device holds.
  const pulledUnderOlderProtocol = state != null && (state.protocolVersion ?? PROTOCOL_VERSION_WITHOUT_HEADER) < FEED_LAST_CHANGED_IN;
  let cursor = pulledUnderOlderProtocol ? null : (state?.cursor ?? null);
  let replaceAll = pulledUnderOlderProtocol && state.cursor !== null;
  const report: PullReport = { changes: 0, pages: 0, full: cursor === null, firstRequestAt: Date.now() };
  let next = fetchPage(cursor, SYNC_PAGE_SIZE);
  // Pages are fetched small (cheap to parse) but written several to a transaction.
  let batch: SyncResponse[] = [];
  for (;;) {
    let page: SyncResponse;
    try {
      page = await next;
    } catch (error) {
      if (cursor !== null && error instanceof ApiError && (error.code === 'invalid_cursor' || error.code === 'cursor_expired')) {
        // The server cannot continue from here: start over, replacing what the device holds.
        cursor = null;
        replaceAll = true;
        batch = [];
        report.full = true;
        next = fetchPage(null, SYNC_PAGE_SIZE);
        continue;
      }
      throw error;
    }
    if (isStopped()) return report;
    if (page.hasMore) next = fetchPage(page.cursor, SYNC_PAGE_SIZE);
    batch.push(page);
    const batched = batch.reduce((sum, p) => sum + p.changes.length, 0);
    if (!page.hasMore || batched >= WRITE_BATCH_SIZE) {
      const last = page;
      await writeChanges(db, batch.length === 1 ? last.changes : batch.flatMap((p) => p.changes), {
        replaceAll,
        alsoWrite: () =>
          db.syncState.put({
            key: FEED_STATE_KEY,
            cursor: last.cursor,
            position: last.position,
            lastSyncedAt: new Date().toISOString(),
            protocolVersion: PROTOCOL_VERSION,
          }),
      });
      replaceAll = false;
      cursor = last.cursor;
      report.changes += batched;
      batch = [];
    }
    report.pages += 1;
    if (!page.hasMore) break;
    // Let input and rendering in between pages.
    await nextTask();
  }
  return report;
}
