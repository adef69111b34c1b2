import { Queue } from 'workbox-background-sync';
import { registerRoute } from 'workbox-routing';
import { MUTATION_QUEUE_NAME, OUTBOX_CHANNEL, type WorkerToPageMessage } from '../protocol/worker-messages';
import { replaySignOuts } from './sign-outs';
import { nextReplayStep, replayDelayMs, type ReplayAttempt } from './replay-policy';

/**
 * The worker's half of the outbox: mutation requests that cannot reach the server now are kept
 * in a workbox-background-sync queue (IndexedDB) and replayed in order. Workbox's own replay
 * treats any HTTP answer as success, so replaying is ours: it reads the status of every answer.
 *
 * What lives in memory here (whether a replay runs, pushes in flight) only serialises work in
 * this worker's lifetime; after the worker is killed the queue in IndexedDB is all there is.
 */

const EXPIRY_MS = 24 * 60 * 60 * 1000;
const REQUEST_TIMEOUT_MS = 15_000;
const REFRESH_LOCK_NAME = 'rally-auth-refresh';

const channel = new BroadcastChannel(OUTBOX_CHANNEL);
const post = (message: WorkerToPageMessage) => channel.postMessage(message);

const queue = new Queue(MUTATION_QUEUE_NAME, {
  // Expiry is ours (it must tell the page), so Workbox never drops an entry silently first.
  maxRetentionTime: 30 * 24 * 60,
  // A sign-out queued beside these goes first: its session must end before anything else is sent.
  onSync: () => replaySignOuts().then(() => replayOutbox()),
});

let replaying: Promise<void> | null = null;
let replayAgain: Promise<void> | null = null;
/** Pushes started while a replay runs: the replay does not end before they land in the queue. */
const pushesInFlight = new Set<Promise<void>>();

async function broadcastState(): Promise<void> {
  post({ type: 'OUTBOX_STATE', queued: await queue.size(), replaying: replaying !== null });
}

function accepted(): Response {
  return new Response(JSON.stringify({ queued: true }), { status: 202, headers: { 'Content-Type': 'application/json' } });
}

async function keep(request: Request): Promise<Response> {
  const push = queue.pushRequest({ request });
  pushesInFlight.add(push);
  try {
    await push;
  } finally {
    pushesInFlight.delete(push);
  }
  await broadcastState();
  return accepted();
}

/**
 * A page's mutation: behind anything already queued (order is the contract), else straight to the
 * network; kept for later only when the network fails. Any HTTP answer goes back to the page.
 */
async function handleMutationRequest(request: Request): Promise<Response> {
  const copy = request.clone();
  if (replaying !== null) return keep(copy);
  if ((await queue.size()) > 0) return keep(copy);
  try {
    return await fetch(request);
  } catch {
    return keep(copy);
  }
}

export function routeMutationsThroughOutbox(): void {
  registerRoute(({ url }) => url.pathname === '/api/mutations', ({ request }) => handleMutationRequest(request), 'POST');
}

/** One replay at a time: a second request during a replay runs one more pass after it. */
export function replayOutbox(): Promise<void> {
  if (replaying === null) {
    replaying = replayPass().finally(() => {
      replaying = null;
      void broadcastState();
    });
    return replaying;
  }
  replayAgain ??= replaying
    .catch(() => undefined)
    .then(() => {
      replayAgain = null;
      return replayOutbox();
    });
  return replayAgain;
}

class ReplayStopped extends Error {}

async function replayPass(): Promise<void> {
  await broadcastState();
  // A token refreshed during this pass serves the rest of it; it is never kept beyond.
  let token: string | null = null;
  for (;;) {
    let entry = await queue.shiftRequest();
    if (!entry && pushesInFlight.size > 0) {
      await Promise.allSettled([...pushesInFlight]);
      entry = await queue.shiftRequest();
    }
    if (!entry) return;
    await broadcastState();
    const { request, timestamp = Date.now() } = entry;
    const body = await request.clone().text();
    const ids = mutationIdsOf(body);
    if (Date.now() - timestamp > EXPIRY_MS) {
      settle(ids, 'failed', 0, { error: { code: 'unavailable', message: 'Not sent within 24 hours; it expired.' } });
      continue;
    }
    const attempt: ReplayAttempt = { retries: 0, refreshed: false };
    for (;;) {
      const result = await send(request, body, token);
      let step = nextReplayStep(result.status, attempt);
      if (step === 'refresh') {
        attempt.refreshed = true;
        const refreshed = await refreshAccessToken();
        if (typeof refreshed === 'string') {
          token = refreshed;
          continue;
        }
        step = refreshed === 'network' ? 'network' : 'wait-for-login';
      }
      if (step === 'network' || step === 'wait-for-login') {
        await queue.unshiftRequest({ request, timestamp });
        await broadcastState();
        // No network: fail the sync so the browser keeps it registered. Signed out: the entry
        // waits, in place, for the next login (a page's REPLAY_OUTBOX after it).
        if (step === 'network') throw new ReplayStopped('network unavailable; kept for the next sync');
        return;
      }
      if (step === 'retry') {
        await sleep(replayDelayMs(attempt.retries));
        attempt.retries += 1;
        continue;
      }
      settle(ids, step, result.status, result.body);
      break;
    }
  }
}

interface SendResult {
  /** 0: no answer (network error). -1: timed out. */
  status: number;
  body: unknown;
}

async function send(original: Request, body: string, token: string | null): Promise<SendResult> {
  const headers = new Headers(original.headers);
  if (token !== null) headers.set('Authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(original.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    return { status: error instanceof DOMException && error.name === 'TimeoutError' ? -1 : 0, body: null };
  }
  return { status: response.status, body: await response.json().catch(() => null) };
}

/**
 * Trades the refresh cookie for an access token, under the same Web Lock the pages take (refresh
 * tokens rotate, and a reused one logs the user out).
 */
async function refreshAccessToken(): Promise<string | 'signed-out' | 'network'> {
  const refresh = async (): Promise<string | 'signed-out' | 'network'> => {
    let response: Response;
    try {
      response = await fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' });
    } catch {
      return 'network';
    }
    if (response.status >= 500) return 'network';
    if (!response.ok) return 'signed-out';
    const session = (await response.json().catch(() => null)) as { accessToken?: unknown } | null;
    return typeof session?.accessToken === 'string' ? session.accessToken : 'signed-out';
  };
  return 'locks' in navigator ? navigator.locks.request(REFRESH_LOCK_NAME, refresh) : refresh();
}

function mutationIdsOf(body: string): { clientId: string; mutationId: number } {
  try {
    const parsed = JSON.parse(body) as { clientId?: unknown; mutationId?: unknown };
    return { clientId: String(parsed.clientId), mutationId: Number(parsed.mutationId) };
  } catch {
    return { clientId: '', mutationId: 0 };
  }
}

function settle(ids: { clientId: string; mutationId: number }, outcome: 'applied' | 'rejected' | 'failed', httpStatus: number, body: unknown): void {
  post({ type: 'MUTATION_SETTLED', ...ids, outcome, httpStatus: Math.max(0, httpStatus), body });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A page opened or the network came back: replay now (keeping the worker alive meanwhile). */
export function replayOnRequest(event: ExtendableEvent): void {
  event.waitUntil(replaySignOuts().then(() => replayOutbox()).catch(() => undefined));
}
