import { randomUUID } from 'node:crypto';
import type { PushPayload } from '../../protocol';
import type { Db } from '../db/connect';
import { deleteDeadRegistration, findDevice } from './devices-store';
import { claimDuePushes, retryPushLater, settlePush, type OutboxRow } from './push-outbox-store';
import { nextStepAfter, TTL_SECONDS_OF, type RetryPolicy } from './push-rules';
import type { PushSenders } from './push-sender';

export interface DispatcherSettings {
  /** How long a claim holds: a row whose claimer died is claimed again after it. Far above `sendTimeoutMs`. */
  leaseMs: number;
  pollIntervalMs: number;
  batchSize: number;
  /** Sends in flight at once. */
  concurrency: number;
  retry: RetryPolicy;
}

export interface DispatcherDeps {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  senders: PushSenders;
  /** Whether the user has a live socket from the device (then it hears the change there, and needs no push). */
  isLive(deviceId: string, userId: string): Promise<boolean>;
  now: () => Date;
  random?: () => number;
  onError(error: unknown): void;
  settings: DispatcherSettings;
}

export interface PushDispatcher {
  start(): void;
  /** Something was queued: look now rather than at the next poll. */
  wake(): void;
  /** One claim-and-send round; how many rows it claimed. */
  runOnce(): Promise<number>;
  /** Finishes the round in flight and stops. */
  stop(): Promise<void>;
}

/**
 * Delivers the push outbox. Each row is claimed with a lease, sent, and settled in its own commit
 * right after its push service answered: a crash before the send leaves the row to be claimed
 * again after the lease; the only duplicate left is a crash between the service accepting a push
 * and that commit (see docs/ARCHITECTURE.md, "Push (server)").
 */
export function createPushDispatcher(deps: DispatcherDeps): PushDispatcher {
  const { db, settings } = deps;
  const claimer = randomUUID();
  const random = deps.random ?? Math.random;
  let stopped = true;
  let running: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;

  async function deliver(row: OutboxRow): Promise<void> {
    const at = () => deps.now().toISOString();
    const device = await findDevice(db, row.deviceId);
    // Removed (signed out, unregistered, expired) or taken by another user since it was queued.
    if (!device || device.userId !== row.userId) return settlePush(db, row, 'expired', at(), 'device no longer registered');
    if (await deps.isLive(device.id, device.userId)) return settlePush(db, row, 'skipped-live', at());
    const sender = deps.senders[device.kind];
    if (!sender) return settlePush(db, row, 'failed', at(), `no ${device.kind} sender configured`);
    const payload = JSON.parse(row.payload) as PushPayload;
    const result = await sender.send(device, { payload, priority: row.priority, ttlSeconds: TTL_SECONDS_OF[row.kind], topic: row.topic });
    const step = nextStepAfter(result, row.attempts, settings.retry, random());
    if ('retryInMs' in step) return retryPushLater(db, row, new Date(deps.now().getTime() + step.retryInMs).toISOString(), step.detail);
    if (step.settle === 'expired') await deleteDeadRegistration(db, device);
    await settlePush(db, row, step.settle, at(), step.detail);
  }

  async function runOnce(): Promise<number> {
    const now = deps.now();
    const rows = await claimDuePushes(db, deps.dialect, {
      claimer,
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + settings.leaseMs).toISOString(),
      limit: settings.batchSize,
    });
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        // A failure here (the database went away) leaves the row claimed: it is tried again after its lease.
        await deliver(row).catch(deps.onError);
      }
    };
    await Promise.all(Array.from({ length: Math.min(settings.concurrency, rows.length) }, worker));
    return rows.length;
  }

  function pause(): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, settings.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        woken = false;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      let claimed = 0;
      try {
        claimed = await runOnce();
      } catch (error) {
        deps.onError(error);
      }
      // A full batch means more may wait: go on at once.
      if (claimed < settings.batchSize && !stopped) await pause();
    }
  }

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      running = loop();
    },
    wake() {
      woken = true;
      wakeUp?.();
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      await running;
    },
  };
}
