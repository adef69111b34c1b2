import type { LocalChange } from '../../device-db/apply-changes';
import type { RallyLocalDb } from '../../device-db/local-db';
import { writeChanges } from '../../device-db/write-changes';
import { nextTask } from './next-task';
import { FEED_STATE_KEY, type PullReport } from './pull-feed';

/**
 * Pulls the feed into the device's database until the server has nothing more (pull-feed.ts), in
 * the sync worker or on the page; `isStopped` turns true when the engine is stopped.
 */
export type RunPull = (isStopped: () => boolean) => Promise<PullReport>;

/** How long events that show the device behind are gathered before the one pull they ask for. */
const BEHIND_PULL_DELAY_MS = 250;
/**
 * `Date.now()` counts whole milliseconds: an ask in the same millisecond as a pull's first
 * request, or the one before, may have come after it, and is answered by another pull.
 */
const SAME_MOMENT_MS = 1;

/**
 * Keeps the device's database converging to what the server says this user may see. One cursor
 * serves everything: a pull resumes from it, whatever woke it up (start, reconnect, visibility,
 * `online`, or an event that shows the device is behind).
 *
 * Pulls are single-flight: asking during a pull schedules exactly one more after it, unless the
 * ask came before that pull's first request left (the server's answer holds everything up to
 * it). At a start the socket connects while the first pull is starting its worker, and each
 * start sent the same request twice. Pages are pipelined: the next page is on the wire while the
 * current one is written.
 */
export class SyncEngine {
  private running: Promise<void> | null = null;
  /** `Date.now()` of the latest ask for a pull while one was running; null if none came. */
  private askedWhileRunningAt: number | null = null;
  private stopped = false;
  /** Events received and not yet written, with the batch that will write them. */
  private arrived: { changes: LocalChange[]; seq: number }[] = [];
  private writingArrived: Promise<void> | null = null;
  private behindTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly db: RallyLocalDb,
    private readonly runPull: RunPull,
    /** Asked to arrange a pull when an event shows the device is behind (the leading tab pulls). */
    private readonly onBehind: () => void,
  ) {}

  /** Pulls until the server has nothing more; resolves when the device is caught up. */
  pull(): Promise<void> {
    if (this.running) {
      this.askedWhileRunningAt = Date.now();
      return this.running;
    }
    this.running = (async () => {
      try {
        let again = false;
        do {
          this.askedWhileRunningAt = null;
          const firstRequestAt = await this.pullUntilDone();
          // Set by pull() meanwhile: read again, not the null narrowed above.
          const askedAt = this.askedWhileRunningAt as number | null;
          again = askedAt !== null && askedAt >= firstRequestAt - SAME_MOMENT_MS;
        } while (again && !this.stopped);
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
      const state = await this.db.syncState.get(FEED_STATE_KEY);
      if (!state || Math.max(...events.map((event) => event.seq)) > state.position) this.behind();
    });
    return this.writingArrived;
  }

  /**
   * Events in a burst each show the device behind (its cursor moves only with pulls): one pull
   * after the burst catches up on all of them. Asked at once, every event of a replayed queue's
   * answers started a pull, and the sync worker's quick pulls then kept the server answering
   * pulls instead of the replay (bench/replay's drain went from 3.3 s to 5-8 s). What an event
   * carries is already on screen; the pull only fills in what no event brought.
   */
  private behind(): void {
    if (this.behindTimer !== null) return;
    this.behindTimer = setTimeout(() => {
      this.behindTimer = null;
      if (!this.stopped) this.onBehind();
    }, BEHIND_PULL_DELAY_MS);
  }

  stop(): void {
    this.stopped = true;
  }

  /** Returns when the pull's first request was made (`PullReport.firstRequestAt`). */
  private async pullUntilDone(): Promise<number> {
    const started = performance.now();
    const report = await this.runPull(() => this.stopped);
    if (!this.stopped) {
      // User Timing entries: visible in DevTools, and read by bench/sync.
      performance.measure(report.full ? 'rally:sync:full' : 'rally:sync:pull', { start: started, detail: report });
    }
    return report.firstRequestAt;
  }
}
