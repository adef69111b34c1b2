import Dexie, { type Table } from 'dexie';
import type { AnalyticsEvent } from '../protocol/analytics';
import { ANALYTICS_QUEUE_CAP, MAX_BATCH_BYTES, overflowCount, takeBatch } from './analytics-rules';

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
  /** Queue order: oldest first out, to send and to drop. */
  seq?: number;
  userId: string;
  event: AnalyticsEvent;
}

class AnalyticsQueueDb extends Dexie {
  events!: Table<QueuedAnalyticsEvent, number>;
  constructor() {
    super(ANALYTICS_DB);
    this.version(1).stores({ events: '++seq, userId' });
  }
}

let opened: AnalyticsQueueDb | null = null;
const db = () => (opened ??= new AnalyticsQueueDb());

/** Queues events, first dropping the oldest as needed to stay within the cap. */
export async function queueAnalyticsEvents(rows: QueuedAnalyticsEvent[], cap = ANALYTICS_QUEUE_CAP): Promise<void> {
  const { events } = db();
  await db().transaction('rw', events, async () => {
    const drop = overflowCount(await events.count(), rows.length, cap);
    if (drop > 0) await events.bulkDelete(await events.orderBy('seq').limit(drop).primaryKeys());
    // More than the cap at once: only the newest of them fit.
    await events.bulkAdd(rows.slice(Math.max(0, rows.length - cap)));
  });
}

/** The head of the queue that `userId` may send (their own events and nobody's), as one request. */
export async function readQueuedBatch(userId: string, maxEvents: number, maxBytes = MAX_BATCH_BYTES): Promise<QueuedAnalyticsEvent[]> {
  const head = await db()
    .events.orderBy('seq')
    .filter((row) => row.userId === userId || row.userId === NOBODY)
    .limit(maxEvents)
    .toArray();
  return takeBatch(head, maxEvents, maxBytes);
}

export async function countQueuedEvents(): Promise<number> {
  return db().events.count();
}

/** Every queued event (the opt-out), or only one user's (they signed out). */
export async function clearQueuedEvents(userId?: string): Promise<void> {
  if (userId === undefined) await db().events.clear();
  else await db().events.where('userId').equals(userId).delete();
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
    const batch = await readQueuedBatch(userId, maxEvents);
    if (batch.length === 0 || !(await sendBatch(batch.map((row) => row.event)))) return sent;
    await db().events.bulkDelete(batch.map((row) => row.seq!));
    sent += batch.length;
  }
}
