import { OUTBOX_CHANNEL, WorkerToPageMessage, type Mutation } from '../../protocol';
import { takeNextMutationId } from '../../device-db/client-state';
import type { RallyLocalDb } from '../../device-db/local-db';
import { optimisticTables } from '../../device-db/optimistic-undo';
import { photoSentBy } from '../../device-db/photo-uploads';
import { discardEntry, settleFailed, settleOutcome, type SettledOutcome } from '../../device-db/outbox-settle';
import { ObservableValue } from '../net/observable-value';
import { applyOptimistic } from './optimistic';
import {
  DUPLICATE_WINDOW_MS,
  OutboxFullError,
  duplicateKeyOf,
  findDuplicate,
  isExpired,
  readOutboxSettings,
  targetOf,
  type MutationRequest,
  type RecentMutation,
} from './outbox-rules';
import { sendEntry } from './send-entry';
import { askWorkerToReplay, registerOutboxSync } from './worker-link';

export type MutationOutcome =
  | SettledOutcome
  /** Kept for later (offline, or behind earlier writes): it lands when the network allows. */
  | { status: 'pending' };

export interface MutationHandle {
  mutationId: number;
  /** What the mutation is about: the activity (a create's client-made id), message or setting (`targetOf`). */
  activityId: string;
  /** Resolves once the server settles it, or as soon as it is kept for later. */
  outcome: Promise<MutationOutcome>;
}

const RECHECK_INTERVAL_MS = 15_000;

/**
 * The one way the page writes. A mutation is numbered, applied to the device's database and put
 * in the outbox in one transaction, then sent in number order (through the service worker when
 * one controls the page: it keeps what cannot go now and replays it). Every answer, whichever way
 * it came (HTTP, socket ack, or the worker's replay), settles the entry in the database through
 * one function (device-db/outbox-settle.ts): applied, or refused and rolled back, or given up into
 * the failed list. The worker's outbox channel only says how much it holds.
 */
export class MutationClient {
  /** The page is sending right now. */
  readonly sending = new ObservableValue(false);
  /** What the worker last said about its queue. */
  readonly worker = new ObservableValue<{ queued: number; replaying: boolean }>({ queued: 0, replaying: false });

  private readonly waiters = new Map<number, (outcome: MutationOutcome) => void>();
  private readonly recent = new Map<string, RecentMutation & { handle: MutationHandle }>();
  private channel: BroadcastChannel | null = null;
  private messages: Promise<void> = Promise.resolve();
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  private stopped = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly onOnline = () => {
    this.askWorkerToReplay();
    this.kick();
  };
  private readonly onLeaving = (event: Event) => {
    if (event.type === 'pagehide' || document.visibilityState === 'hidden') registerOutboxSync(this.me.userId);
  };

  constructor(
    private readonly db: RallyLocalDb,
    private readonly me: { userId: string; displayName: string },
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (typeof BroadcastChannel === 'function') {
      this.channel = new BroadcastChannel(OUTBOX_CHANNEL);
      this.channel.onmessage = (event: MessageEvent<unknown>) => {
        const parsed = WorkerToPageMessage.safeParse(event.data);
        // One at a time, in the order the worker sent them.
        if (parsed.success) this.messages = this.messages.then(() => this.onWorkerMessage(parsed.data)).catch(() => undefined);
      };
    }
    window.addEventListener('online', this.onOnline);
    // A phone kills a hidden page without warning: what it never handed over goes by a sync then.
    document.addEventListener('visibilitychange', this.onLeaving);
    window.addEventListener('pagehide', this.onLeaving);
    // Retries for what nothing else wakes up (a server that was down while the device was online).
    this.timer = setInterval(() => {
      if (navigator.onLine) this.onOnline();
    }, RECHECK_INTERVAL_MS);
    this.askWorkerToReplay();
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    this.channel?.close();
    window.removeEventListener('online', this.onOnline);
    document.removeEventListener('visibilitychange', this.onLeaving);
    window.removeEventListener('pagehide', this.onLeaving);
    clearInterval(this.timer);
  }

  /**
   * `retrying`: the user asked to send a failed one again, which is no accidental duplicate.
   * `photoFile`: a photo message's file, kept with the entry (same transaction) until it is applied.
   */
  async mutate(request: MutationRequest, options: { retrying?: boolean; photoFile?: Blob } = {}): Promise<MutationHandle> {
    const at = this.now();
    for (const [target, seen] of this.recent) if (at - seen.at >= DUPLICATE_WINDOW_MS) this.recent.delete(target);
    const duplicate = options.retrying ? null : findDuplicate(this.recent, request, at);
    if (duplicate) return this.recent.get(duplicateKeyOf(request).target)!.handle;

    const { cap } = readOutboxSettings(window.localStorage);
    const createdAt = new Date(at).toISOString();
    const db = this.db;
    const mutationId = await db.transaction('rw', [db.clientState, db.outbox, ...optimisticTables(db)], async () => {
      const pending = await db.outbox.where('status').equals('pending').count();
      if (pending >= cap) throw new OutboxFullError(cap);
      const { clientId, mutationId: id } = await takeNextMutationId(db);
      const mutation = { clientId, mutationId: id, createdAt, ...request } as Mutation;
      const undo = await applyOptimistic(db, this.me, mutation, createdAt);
      const photo = photoSentBy(mutation);
      if (photo && options.photoFile) await db.pendingPhotos.put({ hash: photo.hash, blob: options.photoFile, type: photo.type, createdAt });
      await db.outbox.add({ mutationId: id, mutation, status: 'pending', createdAt, undo, error: null });
      return id;
    });

    const handle: MutationHandle = { mutationId, activityId: targetOf(request), outcome: this.waitFor(mutationId) };
    const { target, signature } = duplicateKeyOf(request);
    this.recent.set(target, { signature, at, mutationId, handle });
    this.kick();
    return handle;
  }

  /** A failed entry goes out again as a new mutation (its change is applied again if it was undone). */
  async retry(mutationId: number): Promise<void> {
    const entry = await this.db.outbox.get(mutationId);
    if (!entry || entry.status !== 'failed') return;
    const { name, args } = entry.mutation;
    // A photo's file stays on the device for the new entry (its upload may be what failed).
    const photo = photoSentBy(entry.mutation);
    const photoFile = photo ? (await this.db.pendingPhotos.get(photo.hash))?.blob : undefined;
    await discardEntry(this.db, mutationId, { keepPhoto: true });
    await this.mutate({ name, args } as MutationRequest, { retrying: true, ...(photoFile ? { photoFile } : {}) });
  }

  discard(mutationId: number): Promise<void> {
    return discardEntry(this.db, mutationId);
  }

  /** Sends what is pending, in order; single-flight (a request during a run runs it once more). */
  kick(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = (async () => {
      try {
        do {
          this.pumpAgain = false;
          await this.withSendLock(() => this.sendPending());
        } while (this.pumpAgain && !this.stopped);
      } finally {
        this.pumping = null;
        this.sending.set(false);
      }
    })().catch(() => undefined);
  }

  private withSendLock(run: () => Promise<void>): Promise<void> {
    // Two tabs sending the same entries would only waste requests (the server dedupes), but one
    // sender keeps the order simple to reason about.
    if (!('locks' in navigator)) return run();
    return navigator.locks.request(`rally-outbox-send-${this.me.userId}`, run);
  }

  private async sendPending(): Promise<void> {
    await this.expireOld();
    const workerHolds = navigator.serviceWorker?.controller != null;
    let askedWorker = false;
    for (;;) {
      if (this.stopped) return;
      const entry = await this.db.outbox
        .where('status')
        .equals('pending')
        .filter((e) => !(workerHolds && e.queuedInWorker))
        .first();
      if (!entry) return;
      this.sending.set(true);
      const result = await sendEntry(
        {
          db: this.db,
          writerId: this.me.userId,
          settle: (mutationId, outcome, body) => this.settle(mutationId, outcome, body),
          keptForLater: (mutationId) => this.resolve(mutationId, { status: 'pending' }),
          askWorkerToReplay: () => this.askWorkerToReplay(),
        },
        entry,
      );
      if (result === 'stop') {
        // Everything behind it waits too: tell those callers it is kept for later.
        for (const mutationId of [...this.waiters.keys()]) this.resolve(mutationId, { status: 'pending' });
        return;
      }
      if (result === 'queued' && !askedWorker && navigator.onLine) {
        askedWorker = true;
        this.askWorkerToReplay();
      }
    }
  }

  /** The answer into the database (device-db/outbox-settle.ts, as every carrier does), then to whoever waits. */
  private async settle(mutationId: number, outcome: 'applied' | 'rejected' | 'failed', body: unknown): Promise<void> {
    this.resolve(mutationId, await settleOutcome(this.db, mutationId, outcome, body));
  }

  private async onWorkerMessage(message: WorkerToPageMessage): Promise<void> {
    // Only this user's writes count: the worker may hold another person's, which wait for them.
    const queued = message.queuedByUser[this.me.userId] ?? 0;
    this.worker.set({ queued, replaying: message.replaying });
    if (queued === 0 && !message.replaying) await this.reclaimFromWorker();
  }

  /**
   * The worker holds nothing, yet entries we handed it are still pending. The worker settles every
   * answer into this database before it lets go of the request (sw/settle-in-device.ts), so these
   * never reached it or it lost them (a worker of an older Rally, its queue cleared by the browser):
   * send them again. The server dedupes, so one that did land is answered as it was.
   */
  private async reclaimFromWorker(): Promise<void> {
    const orphans = await this.db.outbox.where('status').equals('pending').filter((e) => e.queuedInWorker === true).toArray();
    if (orphans.length === 0) return;
    await this.db.outbox.bulkPut(orphans.map((entry) => ({ ...entry, queuedInWorker: false })));
    this.kick();
  }

  private async expireOld(): Promise<void> {
    const { expiryMs } = readOutboxSettings(window.localStorage);
    const now = this.now();
    const expired = await this.db.outbox.where('status').equals('pending').filter((e) => isExpired(e.createdAt, now, expiryMs)).toArray();
    for (const entry of expired) {
      const error = { code: 'expired', message: 'Not sent in time: it waited too long for a connection.' };
      await settleFailed(this.db, entry.mutationId, error);
      this.resolve(entry.mutationId, { status: 'failed', error });
    }
  }

  private askWorkerToReplay(): void {
    askWorkerToReplay(this.me.userId);
  }

  private waitFor(mutationId: number): Promise<MutationOutcome> {
    return new Promise((resolve) => this.waiters.set(mutationId, resolve));
  }

  private resolve(mutationId: number, outcome: MutationOutcome): void {
    const waiter = this.waiters.get(mutationId);
    if (!waiter) return;
    // 'pending' answers the caller now; the entry settles later all the same.
    this.waiters.delete(mutationId);
    waiter(outcome);
  }
}
