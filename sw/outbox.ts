import { registerRoute } from 'workbox-routing';
import { OUTBOX_CHANNEL, type WorkerToPageMessage } from '../protocol/worker-messages';
import { settleInAnyDevice, settleInDevice, type Settlement } from './settle-in-device';
import { adoptLegacyWrites, dropAllOf, queuedByUser, queueOf, replayUserQueuesWith, syncTagUser } from './mutation-queues';
import { deleteQueueEntries, readQueueHead, type HeadEntry } from './queue-head';
import { MAX_BATCH_BYTES, sendBatch } from './replay-batch';
import { MAX_MUTATION_BATCH } from '../protocol/mutations';
import { replaySignOuts } from './sign-outs';
import { FIRST_ATTEMPT, nextAttempt, nextSendStep } from '../protocol/send-policy';
import { mutationIdsOf, refreshAccessToken, withoutPredecessor, type ReplaySession } from './replay-requests';
import { withoutCredentials, writerOf } from './write-owner';
import { readyForBatch, uploadPhotoOf, uploadThenSend } from './photo-uploads';
import { adoptUnhandedWrites } from './device-outbox';

const bearerTokenOf = (headers: Headers): string | null => headers.get('Authorization')?.replace(/^Bearer\s+/i, '') ?? null;

/**
 * The worker's half of the outbox: mutation requests that cannot reach the server now are kept
 * in workbox-background-sync queues (IndexedDB, one per user: `mutation-queues.ts`) and replayed
 * in order. Workbox's own replay treats any HTTP answer as success, so replaying is ours: it reads
 * the status of every answer.
 *
 * A queued request keeps no credential and records who made it (`write-owner.ts`). A user's queue
 * is sent only with a token of that user, lent by a page of theirs or refreshed through the cookie
 * when the cookie is theirs; while anyone else is signed in it waits. A user who signs out and
 * drops their unsent writes has them removed here too (DISCARD_WRITES).
 *
 * What lives in memory here (whether a replay runs, pushes in flight, the page's lent token) only
 * serves this worker's lifetime; after the worker is killed the queues in IndexedDB are all there is.
 */

const EXPIRY_MS = 24 * 60 * 60 * 1000;

/** Who is signed in on the page that last asked for a replay, and its token (memory only). */
let pageSession: ReplaySession | null = null;

const channel = new BroadcastChannel(OUTBOX_CHANNEL);
const post = (message: WorkerToPageMessage) => channel.postMessage(message);

let replaying: Promise<void> | null = null;
/** Users whose queue a replay should (still) go through. */
const replayRequested = new Set<string>();
/** Pushes started while a replay runs: the replay does not end before they land in the queue. */
const pushesInFlight = new Set<Promise<void>>();

async function broadcastState(): Promise<void> {
  post({ type: 'OUTBOX_STATE', queuedByUser: await queuedByUser(), replaying: replaying !== null });
}

function accepted(): Response {
  return new Response(JSON.stringify({ queued: true }), { status: 202, headers: { 'Content-Type': 'application/json' } });
}

async function keep(request: Request, writer: string): Promise<Response> {
  // A replay under way goes through this writer's queue too before it ends.
  if (replaying !== null) replayRequested.add(writer);
  const push = request.text().then((body) => queueOf(writer).pushRequest({ request: withoutCredentials(request, body), metadata: { userId: writer } }));
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
 * A page's mutation: behind anything of its writer already queued (order is the contract), else
 * straight to the network; kept for later only when the network fails. Any HTTP answer goes back
 * to the page. A write that names no writer cannot be kept: nobody could safely send it later.
 */
async function handleMutationRequest(request: Request): Promise<Response> {
  const writer = writerOf(request.headers, undefined);
  if (writer === null) return fetch(request);
  const copy = request.clone();
  if (replaying !== null || (await queueOf(writer).size()) > 0) return keep(copy, writer);
  // A message's photo goes first (the page tried and had no network, or this is its only try).
  const upload = await uploadPhotoOf(writer, await request.clone().text(), bearerTokenOf(request.headers));
  if (upload === 'unreachable' || (upload !== 'ready' && upload.status <= 0)) return keep(copy, writer);
  if (upload !== 'ready') return Response.json(upload.body ?? { error: { code: 'unauthorized', message: 'Sign in again' } }, { status: upload.status });
  try {
    return await fetch(request);
  } catch {
    return keep(copy, writer);
  }
}

export function routeMutationsThroughOutbox(): void {
  registerRoute(({ url }) => url.pathname === '/api/mutations', ({ request }) => handleMutationRequest(request), 'POST');
  replayUserQueuesWith((userId) => replaySignOuts().then(() => syncOutbox(userId)));
  // After the worker was killed, a sync for a user's queue arrives before anything made that queue
  // again (Workbox listens only for queues that exist): the tag names the user.
  self.addEventListener('sync', (event) => {
    const userId = syncTagUser((event as SyncEvent).tag);
    if (userId !== null) (event as SyncEvent).waitUntil(replaySignOuts().then(() => syncOutbox(userId)));
  });
}

/** Takings of unhanded writes under way, by user: both sync listeners may hear one event. */
const adopting = new Map<string, Promise<number>>();

/**
 * A background sync for `userId`: first what a closed page wrote and never handed over
 * (device-outbox.ts), then the queue.
 */
function syncOutbox(userId: string): Promise<void> {
  let adoption = adopting.get(userId);
  if (!adoption) {
    adoption = adoptUnhandedWrites(self as unknown as ServiceWorkerGlobalScope, userId)
      .catch(() => 0)
      .finally(() => adopting.delete(userId));
    adopting.set(userId, adoption);
  }
  return adoption.then(() => replayOutbox(userId));
}

/**
 * One replay at a time, through the queues of the users asked for; a request during a replay is
 * served by it (another pass through that user's queue). No network stops it all.
 */
export function replayOutbox(userId: string): Promise<void> {
  replayRequested.add(userId);
  replaying ??= (async () => {
    try {
      for (const writer of await adoptLegacyWrites(expireUnowned)) replayRequested.add(writer);
      while (replayRequested.size > 0) {
        const [next] = replayRequested;
        if (next === undefined) break;
        replayRequested.delete(next);
        await replayPass(next);
      }
    } finally {
      replayRequested.clear();
      replaying = null;
      void broadcastState();
    }
  })();
  return replaying;
}

class ReplayStopped extends Error {}

async function replayPass(userId: string): Promise<void> {
  const queue = queueOf(userId);
  await broadcastState();
  // Someone else is signed in on an open page: this user's writes wait, and the cookie (theirs)
  // is not rotated for nothing.
  if (pageSession !== null && pageSession.userId !== userId) return;
  // A token lent or refreshed during this pass serves the rest of it; it is never stored.
  let session: ReplaySession | null = pageSession;
  for (;;) {
    // The fast path: the head of the queue in batches, for as long as every answer is final.
    if (session?.token) await replayInBatches(userId, queue.name, session.token);
    let entry = await queue.shiftRequest();
    if (!entry && pushesInFlight.size > 0) {
      await Promise.allSettled([...pushesInFlight]);
      entry = await queue.shiftRequest();
    }
    if (!entry) return;
    await broadcastState();
    let body = await entry.request.clone().text();
    if (isExpired(entry.timestamp)) {
      await settleInDevice(userId, [expiry(body)]);
      continue;
    }
    const { request } = entry;
    const ids = mutationIdsOf(body);
    let attempt = FIRST_ATTEMPT;
    for (;;) {
      const result = session?.token ? await uploadThenSend(userId, request, body, session.token) : { status: 401, body: null };
      let step = nextSendStep(result, attempt, 'unchain');
      attempt = nextAttempt(attempt, step);
      if (step.kind === 'refresh') {
        const refreshed = await refreshAccessToken();
        if (typeof refreshed !== 'string' && refreshed.userId !== userId) {
          // The cookie is someone else's now: this user's writes wait, in place, for them.
          await queue.unshiftRequest(entry);
          return;
        }
        if (typeof refreshed !== 'string') {
          session = refreshed;
          continue;
        }
        step = refreshed === 'network' ? { kind: 'offline' } : { kind: 'hold' };
      }
      if (step.kind === 'offline' || step.kind === 'hold' || step.kind === 'wait-for-earlier') {
        await queue.unshiftRequest(entry);
        // No network: fail the sync so the browser keeps it registered. Signed out: the entry
        // waits, in place, for the next login (a page's REPLAY_OUTBOX after it).
        if (step.kind === 'offline') throw new ReplayStopped('network unavailable; kept for the next sync');
        return;
      }
      if (step.kind === 'unchain') {
        body = withoutPredecessor(body);
        continue;
      }
      if (step.kind === 'retry') {
        await sleep(step.afterMs);
        continue;
      }
      await settleInDevice(userId, [{ ...ids, outcome: step.kind, body: result.body }]);
      break;
    }
  }
}

const isExpired = (queuedAt: number | undefined) => Date.now() - (queuedAt ?? Date.now()) > EXPIRY_MS;

const expiry = (body: string): Settlement => ({
  ...mutationIdsOf(body),
  outcome: 'failed',
  body: { error: { code: 'unavailable', message: 'Not sent within 24 hours; it expired.' } },
});

/**
 * Sends the head of the queue in batches and removes what each settled for good; returns when
 * fewer than two entries are left or a batch left its head unsettled (the one-at-a-time replay
 * takes that one, with every answer's next step). An entry leaves the queue only once answered.
 */
async function replayInBatches(userId: string, queueName: string, token: string): Promise<void> {
  for (;;) {
    const head = await readQueueHead(queueName, MAX_MUTATION_BATCH, MAX_BATCH_BYTES);
    if (head === null) return;
    const expired = head.filter((item) => isExpired(item.timestamp));
    const unexpired = head.filter((item) => !isExpired(item.timestamp));
    if (expired.length > 0) {
      await settleInDevice(userId, expired.map((item) => expiry(item.body)));
      await deleteQueueEntries(expired.map((item) => item.id));
      continue;
    }
    if (unexpired.length < 2) return;
    // Photos before the messages that name them; the batch ends before one that could not go.
    const batch = unexpired.slice(0, await readyForBatch(userId, unexpired, token));
    if (batch.length < 2) return;
    const answers = await sendBatch(batch, token);
    const settled: HeadEntry[] = [];
    const settlements: Settlement[] = [];
    for (const answer of answers) {
      const step = nextSendStep({ status: answer.httpStatus }, FIRST_ATTEMPT, 'unchain');
      if (step.kind !== 'applied' && step.kind !== 'rejected') break;
      const item = batch[settled.length]!;
      settled.push(item);
      settlements.push({ ...mutationIdsOf(item.body), outcome: step.kind, body: answer.body });
    }
    // Written where the page reads outcomes before the requests go: none is answered into nowhere.
    await settleInDevice(userId, settlements);
    await deleteQueueEntries(settled.map((item) => item.id));
    if (settled.length > 0) await broadcastState();
    if (settled.length < batch.length) return;
  }
}

function expireUnowned(entry: { request: Request }): void {
  void entry.request
    .clone()
    .text()
    .then((body) =>
      settleInAnyDevice({ ...mutationIdsOf(body), outcome: 'failed', body: { error: { code: 'unavailable', message: 'This change was kept without its author; it was not sent.' } } }),
    );
}

/**
 * Forgets every queued write of a user who signed out without sending them. Runs in the replay's
 * place, so nothing of theirs is being sent meanwhile.
 */
export async function discardWritesOf(userId: string): Promise<void> {
  while (replaying !== null) await replaying.catch(() => undefined);
  replaying = dropAllOf(userId).finally(() => {
    replaying = null;
    void broadcastState();
  });
  return replaying;
}

/** What a page says about who is signed in there (and lends, for this worker's lifetime only). */
export function notePageSession(userId: string | undefined, token: string | undefined): void {
  pageSession = userId ? { userId, token: token ?? null } : null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A page of `userId` opened or the network came back: replay now (keeping the worker alive meanwhile). */
export function replayOnRequest(event: ExtendableEvent, userId: string): void {
  event.waitUntil(replaySignOuts().then(() => replayOutbox(userId)).catch(() => undefined));
}
