import { AnalyticsEvent, type AnalyticsBeaconBody } from '../../protocol/analytics';
import { clearQueuedEvents, countQueuedEvents, drainQueuedEvents, NOBODY, queueAnalyticsEvents, type QueuedAnalyticsEvent } from '../../device-db/analytics-queue';
import { MAX_BEACON_BYTES, takeBatch } from '../../device-db/analytics-rules';
import { ANALYTICS_EVENTS_PATH, postAnalyticsBatch } from '../../device-db/analytics-send';
import type { FlushAnalyticsMessage } from '../../protocol/worker-messages';
import { ERROR_EVENT, SCREEN_EVENT } from '../../protocol/analytics-names';
import { currentAccessToken, onSignedOut, refreshSession, session } from '../net/auth-client';
import { analyticsEnabled } from './analytics-choice';
import type { PendingEvent } from './analytics';
import { parseSession, sessionForEvent, type AnalyticsSession } from './analytics-session';
import { cleanProps, describeError } from './event-shape';

/**
 * The analytics engine, loaded with the first event (analytics.ts is its front). It stamps each
 * event (id, time, session, screen), queues it in the device's analytics queue
 * (device-db/analytics-queue.ts, never the write outbox) and sends the queue in batches of up to
 * 100 while online and signed in: a second after events arrive, when the network or a token comes
 * back, and every 30 s. As the page is hidden or closed it hands the rest to the service worker,
 * or, with no worker, sends what this page queued with `sendBeacon` as a last resort. Sends
 * overlap harmlessly (the server stores an id once); one tab at a time drains (a Web Lock).
 */

const SEND_DELAY_MS = 1_000;
const RETRY_MS = 30_000;
const SESSION_KEY = 'rally:analytics-session';
const SEND_LOCK = 'rally-analytics-send';

/** The route pattern the router reported last ('' until it has). */
let currentScreen = '';
/** Events this page queued and has not seen accepted: what a beacon can send without reading the database. */
const unsent = new Map<string, AnalyticsEvent>();
/** Stamped events on their way into the queue, written together (one transaction for a burst). */
let toQueue: QueuedAnalyticsEvent[] = [];
let queueWrite: Promise<void> | null = null;
let sendTimer: ReturnType<typeof setTimeout> | undefined;

function nextSession(now: number): AnalyticsSession {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(SESSION_KEY);
  } catch {
    // No storage: each event's session comes from memory below.
  }
  const next = sessionForEvent(parseSession(stored) ?? memorySession, now, () => crypto.randomUUID());
  memorySession = next;
  try {
    localStorage.setItem(SESSION_KEY, JSON.stringify(next));
  } catch {
    // Kept in memory only.
  }
  return next;
}
let memorySession: AnalyticsSession | null = null;

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

/** Stamps, checks and queues one event (analytics.ts calls it with the time it was recorded at). */
export function recordEvent(pending: PendingEvent, at: Date): void {
  if (!analyticsEnabled.get()) return;
  const event = AnalyticsEvent.safeParse(stamp(pending, at));
  if (!event.success) {
    // A name that breaks the contract is the caller's bug; it must not hold up the queue.
    console.warn('analytics: event left out', event.error.issues[0]?.message);
    return;
  }
  unsent.set(event.data.id, event.data);
  toQueue.push({ userId: signedInUser() ?? NOBODY, event: event.data });
  queueWrite ??= Promise.resolve().then(writeQueued);
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
  scheduleSend(SEND_DELAY_MS);
}

function scheduleSend(delayMs: number): void {
  if (sendTimer !== undefined) return;
  sendTimer = setTimeout(() => {
    sendTimer = undefined;
    void sendQueued();
  }, delayMs);
}

/** One batch with the session's token, refreshed once if it expired. */
async function sendBatch(events: AnalyticsEvent[]): Promise<boolean> {
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
  const events = takeBatch([...unsent.values()], 100, MAX_BEACON_BYTES - accessToken.length - 100);
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
  onSignedOut((userId) => clearQueuedEvents(userId));
  setInterval(() => void sendQueued(), RETRY_MS);
  // End-to-end tests call `track` directly, as screens do; on a loopback origin only.
  if (['localhost', '127.0.0.1', '[::1]'].includes(location.hostname)) {
    Object.assign(window, { rallyAnalyticsTestHooks: { recordEvent, queued: countQueuedEvents, sendQueued } });
  }
}

start();
