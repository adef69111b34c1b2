import { FEED_LAST_CHANGED_IN, PROTOCOL_VERSION, PROTOCOL_VERSION_WITHOUT_HEADER, type SyncResponse } from '../../protocol';
import { ApiError } from '../net/api-error';
import type { LocalChange } from '../../device-db/apply-changes';
import type { RallyLocalDb } from '../../device-db/local-db';
import { writeChanges } from '../../device-db/write-changes';
import { nextTask } from './next-task';

export type FetchSyncPage = (cursor: string | null, limit: number) => Promise<SyncResponse>;

export interface PullReport {
  changes: number;
  pages: number;
  full: boolean;
}

const STATE_KEY = 'feed';

/**
 * Changes asked for per page. The body's JSON is parsed in one main-thread task when it arrives
 * (Response.json() cannot be cut), so this bounds that task: in bench/sync's traces pages of
 * 2,000 changes were the longest tasks of a cold sync, 40-56 ms of parsing each.
 */
export const SYNC_PAGE_SIZE = 1000;

/**
 * Keeps the device's database converging to what the server says this user may see. One cursor
 * serves everything: a pull resumes from it, whatever woke it up (start, reconnect, visibility,
 * `online`, or an event that shows the device is behind).
 *
 * Pulls are single-flight: asking during a pull schedules exactly one more after it. Pages are
 * pipelined: the next page is on the wire while the current one is written.
 */
export class SyncEngine {
  private running: Promise<void> | null = null;
  private pullAgain = false;
  private stopped = false;
  /** Events received and not yet written, with the batch that will write them. */
  private arrived: { changes: LocalChange[]; seq: number }[] = [];
  private writingArrived: Promise<void> | null = null;

  constructor(
    private readonly db: RallyLocalDb,
    private readonly fetchPage: FetchSyncPage,
    /** Asked to arrange a pull when an event shows the device is behind (the leading tab pulls). */
    private readonly onBehind: () => void,
    private readonly pageSize = SYNC_PAGE_SIZE,
    private readonly batchSize = 10_000,
  ) {}

  /** Pulls until the server has nothing more; resolves when the device is caught up. */
  pull(): Promise<void> {
    if (this.running) {
      this.pullAgain = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.pullAgain = false;
          await this.pullUntilDone();
        } while (this.pullAgain && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /**
   * Applies a realtime event's changes; pulls when the event shows the device missed something.
   * Events that arrive in one burst (a batch of receipts comes back as one event per
   * conversation) are written in one transaction: each commit re-runs every live query that
   * reads the rows, and forty of those at once kept the page busy for seconds.
   */
  applyEvent(changes: LocalChange[], seq: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.arrived.push({ changes, seq });
    this.writingArrived ??= nextTask().then(async () => {
      const events = this.arrived;
      this.arrived = [];
      this.writingArrived = null;
      if (this.stopped) return;
      await writeChanges(this.db, events.flatMap((event) => event.changes));
      const state = await this.db.syncState.get(STATE_KEY);
      if (!state || Math.max(...events.map((event) => event.seq)) > state.position) this.onBehind();
    });
    return this.writingArrived;
  }

  stop(): void {
    this.stopped = true;
  }

  private async pullUntilDone(): Promise<PullReport> {
    const started = performance.now();
    const state = await this.db.syncState.get(STATE_KEY);
    // A cursor pulled under an older protocol than the feed's last change has skipped (or turned
    // into something else) what that page could not parse: start over, replacing what the device holds.
    const pulledUnderOlderProtocol = state != null && (state.protocolVersion ?? PROTOCOL_VERSION_WITHOUT_HEADER) < FEED_LAST_CHANGED_IN;
    let cursor = pulledUnderOlderProtocol ? null : (state?.cursor ?? null);
    let replaceAll = pulledUnderOlderProtocol && state.cursor !== null;
    const report: PullReport = { changes: 0, pages: 0, full: cursor === null };
    let next = this.fetchPage(cursor, this.pageSize);
    // Pages are fetched small (cheap to parse between frames) but written several to a
    // transaction: each commit wakes every live query, and fewer commits finish sooner.
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
          next = this.fetchPage(null, this.pageSize);
          continue;
        }
        throw error;
      }
      if (this.stopped) return report;
      if (page.hasMore) next = this.fetchPage(page.cursor, this.pageSize);
      batch.push(page);
      const batched = batch.reduce((sum, p) => sum + p.changes.length, 0);
      if (!page.hasMore || batched >= this.batchSize) {
        const last = page;
        await writeChanges(this.db, batch.length === 1 ? last.changes : batch.flatMap((p) => p.changes), {
          replaceAll,
          alsoWrite: () =>
            this.db.syncState.put({
              key: STATE_KEY,
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
    // User Timing entries: visible in DevTools, and read by bench/sync.
    performance.measure(report.full ? 'rally:sync:full' : 'rally:sync:pull', { start: started, detail: report });
    return report;
  }
}
