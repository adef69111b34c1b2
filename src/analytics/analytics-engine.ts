// First: Zod configured before protocol/analytics builds its schemas (src/net/zod-without-eval.ts).
// This chunk is often the first to load Zod on a start; built before, an object schema tried
// `Function('')` and the page reported a Content-Security-Policy violation on every load.
import '../net/zod-without-eval';
import { AnalyticsEvent, type AnalyticsBeaconBody } from '../../protocol/analytics';
import { clearQueuedEvents, countQueuedEvents, drainQueuedEvents, maySendAs, NOBODY, queueAnalyticsEvents, type QueuedAnalyticsEvent } from '../../device-db/analytics-queue';
import { MAX_BEACON_BYTES, takeBatch } from '../../device-db/analytics-rules';
import { ANALYTICS_EVENTS_PATH, postAnalyticsBatch } from '../../device-db/analytics-send';
import type { FlushAnalyticsMessage } from '../../protocol/worker-messages';
import { ERROR_EVENT, SCREEN_EVENT } from '../../protocol/analytics-names';
import { currentAccessToken, onSignedOut, refreshSession, session } from '../net/auth-client';
import { analyticsEnabled } from './analytics-choice';
import type { PendingEvent } from './analytics';
import { parseSession, sessionForEvent, SESSION_IDLE_MS, type AnalyticsSession } from './analytics-session';
import { cleanProps, describeError } from './event-shape';

/**
 * The analytics engine, loaded with the first event (analytics.ts is its front). It stamps each
 * event (id, time, session, screen), queues it in the device's analytics queue
 * (device-db/analytics-queue.ts, never the write outbox) and sends the queue in batches of up to
 * 100 while online and signed in: once no event has come for 2 s (so not while the person is busy,
 * when a write of theirs may be on its way), each batch in an idle moment, when the network or a
 * token comes back, and every 30 s whatever happens. As the page is hidden or closed it hands the rest to the service worker,
 * or, with no worker, sends what this page queued with `sendBeacon` as a last resort. Sends
 * overlap harmlessly (the server stores an id once); one tab at a time drains (a Web Lock).
 */

const QUIET_BEFORE_SEND_MS = 2_000;
const RETRY_MS = 30_000;
const SESSION_KEY = 'rally:analytics-session';
const SEND_LOCK = 'rally-analytics-send';

/** The route pattern the router reported last ('' until it has). */
let currentScreen = '';
/** Events this page queued and has not seen accepted, with their user: what a beacon can send without reading the database. */
const unsent = new Map<string, QueuedAnalyticsEvent>();
/** Stamped events on their way into the queue, written together (one transaction for a burst). */
let toQueue: QueuedAnalyticsEvent[] = [];
let queueWrite: Promise<void> | null = null;
let sendTimer: ReturnType<typeof setTimeout> | undefined;

/** The session as this page last saw it; storage is read only when it may have moved in another tab. */
let memorySession: AnalyticsSession | null = null;
let persistedAt = 0;
/** How stale the stored session's time may get: far finer than the 30-minute rule needs. */
const PERSIST_EVERY_MS = 10_000;

function nextSession(now: number): AnalyticsSession {
  let previous = memorySession;
  // Idle here for the half hour: another tab may have kept the session going meanwhile.
  if (!previous || now - previous.lastEventAt >= SESSION_IDLE_MS) previous = readStoredSession() ?? previous;
  const next = sessionForEvent(previous, now, () => crypto.randomUUID());
  memorySession = next;
  // Written when it changes and every 10 s while it goes on, not per event: a burst of events
  // costs no storage writes, and the page is what the person is waiting on.
  if (next.id !== previous?.id || now - persistedAt >= PERSIST_EVERY_MS) {
    persistedAt = now;
    try {
      localStorage.setItem(SESSION_KEY, JSON.stringify(next));
    } catch {
      // Kept in memory only.
    }
  }
  return next;
}

function readStoredSession(): AnalyticsSession | null {
  try {
    return parseSession(localStorage.getItem(SESSION_KEY));
  } catch {
    return null;
  }
}

function signedInUser(): string | null {
  const state = session.get();
  return state.status === 'signed-in' ? state.user.id : null;
}

function stamp(pending: PendingEvent, at: Date): unknown {
  const base = { id: crypto.randomUUID(), at: at.toISOString(), sessionId: nextSession(at.getTime()).id };
  switch (pending.kind) {
    case 'track':
      return { ...base, kind: 'track', name: pending.name, props: cleanProps(pending.props), screen: currentScreen };
    case 'screen':
      currentScreen = pending.name.slice(0, 200);
      return { ...base, kind: 'screen', name: SCREEN_EVENT, props: {}, screen: currentScreen };
    case 'error':
      return { ...base, kind: 'error', name: ERROR_EVENT, props: { source: pending.source }, screen: currentScreen, ...describeError(pending.error) };
  }
}

/** Resolves when the page has nothing better to do (at most a second later). */
const whenIdle = () =>
  new Promise<void>((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 1_000 });
    else setTimeout(resolve, 50);
  });

/** Stamps, checks and queues one event (analytics.ts calls it with the time it was recorded at). */
export function recordEvent(pending: PendingEvent, at: Date): void {
  if (!analyticsEnabled.get()) return;
  const event = AnalyticsEvent.safeParse(stamp(pending, at));
  if (!event.success) {
    // A name that breaks the contract is the caller's bug; it must not hold up the queue.
    console.warn('analytics: event left out', event.error.issues[0]?.message);
    return;
  }
  const row = { userId: signedInUser() ?? NOBODY, event: event.data };
  unsent.set(event.data.id, row);
  toQueue.push(row);
  // In the page's next idle moment, all together: a burst is one transaction, and it waits until
  // whatever the person just did (a send, a tap) has had its turn.
  queueWrite ??= whenIdle().then(writeQueued);
}

async function writeQueued(): Promise<void> {
  try {
    while (toQueue.length > 0) {
      const rows = toQueue;
      toQueue = [];
      await queueAnalyticsEvents(rows);
    }
  } finally {
    queueWrite = null;
  }
  // Sent once events stop coming for a moment: while someone is busy in Rally (and so maybe writing),
  // the batches wait; the 30-second round sends them anyway if that moment never comes.
  scheduleSend(QUIET_BEFORE_SEND_MS, { restart: true });
}

function scheduleSend(delayMs: number, options: { restart?: boolean } = {}): void {
  if (options.restart) {
    clearTimeout(sendTimer);
    sendTimer = undefined;
  }
  if (sendTimer !== undefined) return;
  sendTimer = setTimeout(() => {
    sendTimer = undefined;
    void sendQueued();
  }, delayMs);
}

/** One batch with the session's token, refreshed once if it expired; each waits for an idle moment. */
async function sendBatch(events: AnalyticsEvent[]): Promise<boolean> {
  await whenIdle();
  let token = currentAccessToken();
  if (!token || !analyticsEnabled.get()) return false;
  let outcome = await postAnalyticsBatch(events, token);
  if (outcome === 'unauthorized' && (await refreshSession()) === 'refreshed' && (token = currentAccessToken())) {
    outcome = await postAnalyticsBatch(events, token);
  }
  if (outcome === 'refused') console.warn('analytics: the server refused a batch; it is dropped');
  if (outcome !== 'accepted' && outcome !== 'refused') return false;
  for (const event of events) unsent.delete(event.id);
  return true;
}

/** Drains the queue for the signed-in user, when there is a network and a token. */
export async function sendQueued(): Promise<void> {
  const userId = signedInUser();
  if (!analyticsEnabled.get() || !userId || !currentAccessToken() || !navigator.onLine) return;
  await queueWrite;
  const drain = async () => {
    const before = await countQueuedEvents();
    const sent = await drainQueuedEvents(userId, sendBatch);
    // Something could not go (no network, a limit, a failure of ours): try again later.
    if (sent < before && (await countQueuedEvents()) > 0) scheduleSend(RETRY_MS);
  };
  if ('locks' in navigator) await navigator.locks.request(SEND_LOCK, { ifAvailable: true }, (lock) => (lock ? drain() : undefined));
  else await drain();
}

/**
 * The page is being hidden or closed: the worker sends the queue after it. Without a worker in
 * control (the first visit, a browser without one), a beacon carries what this page queued and
 * has not seen accepted. Neither removes anything from the queue: whatever arrived is recognised
 * by its id when it is sent again.
 */
function handOff(): void {
  const userId = signedInUser();
  const accessToken = currentAccessToken();
  if (!analyticsEnabled.get() || !userId || !accessToken) return;
  const worker = navigator.serviceWorker?.controller;
  if (worker) {
    const message: FlushAnalyticsMessage = { type: 'FLUSH_ANALYTICS', userId, accessToken };
    worker.postMessage(message);
    return;
  }
  // Only what this user may send: another's events stay theirs, as in the queue.
  const mine = [...unsent.values()].filter((row) => maySendAs(userId, row)).map((row) => row.event);
  const events = takeBatch(mine, 100, MAX_BEACON_BYTES - accessToken.length - 100);
  if (events.length === 0 || typeof navigator.sendBeacon !== 'function') return;
  const body: AnalyticsBeaconBody = { events, accessToken };
  navigator.sendBeacon(ANALYTICS_EVENTS_PATH, new Blob([JSON.stringify(body)], { type: 'text/plain' }));
}

/** Turned off: what is queued, on the device and in memory, is dropped and nothing more is sent. */
function dropEverything(): void {
  unsent.clear();
  toQueue = [];
  clearTimeout(sendTimer);
  sendTimer = undefined;
  void clearQueuedEvents();
}

function start(): void {
  window.addEventListener('online', () => void sendQueued());
  window.addEventListener('pagehide', handOff);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') handOff();
  });
  session.subscribe(() => {
    const state = session.get();
    if (state.status === 'signed-in' && state.token === 'ready') void sendQueued();
  });
  analyticsEnabled.subscribe(() => {
    if (!analyticsEnabled.get()) dropEverything();
  });
  // The one who leaves takes their queued events with them, like the rest of their data.
  onSignedOut((userId) => {
    // Their events still in memory go too: none may be queued after the clear, nor ride a beacon later.
    toQueue = toQueue.filter((row) => row.userId !== userId);
    for (const [id, row] of unsent) if (row.userId === userId) unsent.delete(id);
    return clearQueuedEvents(userId);
  });
  setInterval(() => void sendQueued(), RETRY_MS);
  // End-to-end tests call `track` directly, as screens do; on a loopback origin only.
  if (['localhost', '127.0.0.1', '[::1]'].includes(location.hostname)) {
    Object.assign(window, { rallyAnalyticsTestHooks: { recordEvent, queued: countQueuedEvents, sendQueued } });
  }
}

start();
