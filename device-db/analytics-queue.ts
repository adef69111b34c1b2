import Dexie, { type Table } from 'dexie';
import type { AnalyticsEvent } from '../protocol/analytics';
import { ANALYTICS_QUEUE_CAP, dropFromHead, groupIntoBursts, MAX_BATCH_BYTES, overflowCount, takeBatch } from './analytics-rules';

/**
 * Analytics events waiting on this device to be sent. A database of its own (`rally-analytics`),
 * never the user's outbox: an event never waits behind a write, nor a write behind an event, and
 * dropping events (the cap, the opt-out) can never touch a write. The page queues and sends; the
 * service worker sends what is left when the page has gone. Each event keeps the user who was
 * signed in when it happened ('' for nobody: the sign-in screen), and is sent only with that user's
 * token (an event of nobody's goes with the next person who signs in, as their first steps).
 */

export const ANALYTICS_DB = 'rally-analytics';
/** Who an event of no signed-in user belongs to in the queue. */
export const NOBODY = '';

export interface QueuedAnalyticsEvent {
  userId: string;
  event: AnalyticsEvent;
}

/** Whether events recorded for `owner` may go out with `userId`'s token: their own, and nobody's. */
export function maySendAs(userId: string, owner: { userId: string }): boolean {
  return owner.userId === userId || owner.userId === NOBODY;
}

/**
 * One row of the queue: events one user recorded together, oldest first (at most 100, see
 * `groupIntoBursts`). `seq` is queue order: oldest first out, to send and to drop.
 */
export interface QueuedBurst {
  seq?: number;
  userId: string;
  events: AnalyticsEvent[];
  /** `events.length`, indexed: the queue is counted from the index alone, without reading events. */
  size: number;
}

/** The queue's database (exported for the upgrade test, which opens one under another name). */
export class AnalyticsQueueDb extends Dexie {
  bursts!: Table<QueuedBurst, number>;
  constructor(name = ANALYTICS_DB) {
    super(name);
    this.version(1).stores({ events: '++seq, userId' });
    // A row per burst, not per event: a tenth of IndexedDB's work to queue one (see groupIntoBursts).
    this.version(2)
      .stores({ bursts: '++seq, userId, size' })
      .upgrade(async (tx) => {
        const events = await tx.table<QueuedAnalyticsEvent & { seq: number }>('events').orderBy('seq').toArray();
        await tx.table<QueuedBurst, number>('bursts').bulkAdd(burstsOf(events));
      });
    this.version(3).stores({ events: null });
  }
}

function burstsOf(rows: readonly QueuedAnalyticsEvent[]): QueuedBurst[] {
  return groupIntoBursts(rows).map((burst) => ({ userId: burst[0]!.userId, events: burst.map((row) => row.event), size: burst.length }));
}

let opened: AnalyticsQueueDb | null = null;
const db = () => (opened ??= new AnalyticsQueueDb());

const sum = (sizes: readonly number[]) => sizes.reduce((total, size) => total + size, 0);
/** How many events are queued, read from the `size` index alone. */
const queuedSize = async () => sum((await db().bursts.orderBy('size').keys()) as number[]);

/** Queues events, first dropping the oldest as needed to stay within the cap. */
export async function queueAnalyticsEvents(rows: QueuedAnalyticsEvent[], cap = ANALYTICS_QUEUE_CAP): Promise<void> {
  const { bursts } = db();
  // More than the cap at once: only the newest of them fit.
  const incoming = burstsOf(rows.slice(Math.max(0, rows.length - cap)));
  await db().transaction('rw', bursts, async () => {
    const drop = overflowCount(await queuedSize(), sum(incoming.map((burst) => burst.size)), cap);
    if (drop > 0) {
      // Only a full queue reads its rows.
      const queued = await bursts.orderBy('seq').toArray();
      const { wholeRows, fromNext } = dropFromHead(queued.map((burst) => burst.size), drop);
      if (wholeRows > 0) await bursts.bulkDelete(queued.slice(0, wholeRows).map((burst) => burst.seq!));
      const cut = queued[wholeRows];
      if (fromNext > 0 && cut) await bursts.update(cut.seq!, { events: cut.events.slice(fromNext), size: cut.size - fromNext });
    }
    await bursts.bulkAdd(incoming);
  });
}

/** The head of the queue that `userId` may send (their own events and nobody's), as one request, with the rows it came from. */
async function readQueuedBatch(userId: string, maxEvents: number, maxBytes = MAX_BATCH_BYTES): Promise<{ events: AnalyticsEvent[]; rows: number[] }> {
  const head: AnalyticsEvent[] = [];
  const rows: number[] = [];
  await db()
    .bursts.orderBy('seq')
    .until(() => head.length >= maxEvents)
    .each((burst) => {
      if (!maySendAs(userId, burst)) return;
      head.push(...burst.events);
      rows.push(burst.seq!);
    });
  return { events: takeBatch(head, maxEvents, maxBytes), rows };
}

export async function countQueuedEvents(): Promise<number> {
  return queuedSize();
}

/** Every queued event (the opt-out), or only one user's (they signed out). */
export async function clearQueuedEvents(userId?: string): Promise<void> {
  if (userId === undefined) await db().bursts.clear();
  else await db().bursts.where('userId').equals(userId).delete();
}

/**
 * Takes `sent` out of the rows it was read from, as they are now (another sender, a second tab or
 * the worker, may have taken some meanwhile): by id, so nothing it did not send leaves.
 */
async function removeSent(rows: readonly number[], sent: readonly AnalyticsEvent[]): Promise<void> {
  const ids = new Set(sent.map((event) => event.id));
  const { bursts } = db();
  await db().transaction('rw', bursts, async () => {
    await bursts
      .where('seq')
      .anyOf(rows)
      .modify((burst, ref) => {
        if (!burst.events.some((event) => ids.has(event.id))) return;
        const left = burst.events.filter((event) => !ids.has(event.id));
        if (left.length === 0) {
          delete (ref as { value?: QueuedBurst }).value;
        } else {
          burst.events = left;
          burst.size = left.length;
        }
      });
  });
}

/**
 * Sends the queue for `userId` batch by batch until it is empty or a batch is not accepted (no
 * network, a refusal to wait out); an accepted batch leaves the queue. The server stores each
 * event once, so a batch sent twice (by two tabs, by the page and its worker, or after an answer
 * that was lost) is harmless. Resolves with how many events left the queue.
 */
export async function drainQueuedEvents(userId: string, sendBatch: (events: AnalyticsEvent[]) => Promise<boolean>, maxEvents = 100): Promise<number> {
  let sent = 0;
  for (;;) {
    const { events, rows } = await readQueuedBatch(userId, maxEvents);
    if (events.length === 0 || !(await sendBatch(events))) return sent;
    await removeSent(rows, events);
    sent += events.length;
  }
}
