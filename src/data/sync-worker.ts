/// <reference lib="webworker" />
// The sync worker: pulls the feed into the user's database off the page's main thread. A first
// sync of a large account is a hundred thousand changes to parse, validate, plan and clone into
// IndexedDB; on the page that was tasks of 40-70 ms (mostly garbage collection, the rest Dexie's
// puts) however finely it was cut (issue 13, "the page never freezes"). Here it has a thread and
// a heap of its own; the page hears of every commit through Dexie's BroadcastChannel, and its live
// queries re-read as they did. One worker serves one signed-in session (src/data/sync-worker-client.ts).
// Zod is configured before any schema is built (src/net/zod-without-eval.ts): this import first.
import '../net/zod-without-eval';
import { openLocalDb, type RallyLocalDb } from '../../device-db/local-db';
import type { AccessTokens } from '../net/authorized-fetch';
import { passError, receivedError } from './passed-error';
import { pullFeed } from './pull-feed';
import { syncPageFetcher } from './sync-page-fetcher';
import type { FromSyncWorker, ToSyncWorker } from './sync-worker-messages';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromSyncWorker) => scope.postMessage(message);

let db: RallyLocalDb | null = null;
/** The page's access token, as of the last pull or the last time the worker asked for a newer one. */
let token = '';
let nextRequestId = 1;
const tokenRequests = new Map<number, { resolve: (token: string) => void; reject: (error: Error) => void }>();

/** An access token newer than `stale` (the page refreshes the session once for everyone). */
function tokenFromPage(stale: string): Promise<string> {
  const requestId = nextRequestId++;
  return new Promise((resolve, reject) => {
    tokenRequests.set(requestId, { resolve, reject });
    post({ type: 'need-token', requestId, stale });
  });
}

/**
 * The page's token, replaced only when the server refuses it. Asking the page only then keeps its
 * main thread out of each page's fetch: a busy page (rendering what the last commit changed) made
 * every fetch wait for its answer.
 */
const handedTokens: AccessTokens = {
  current: async () => token,
  async after(stale) {
    token = await tokenFromPage(stale);
    return token;
  },
};

async function pull(pullId: number, userId: string): Promise<void> {
  try {
    db ??= openLocalDb(userId);
    const report = await pullFeed(db, syncPageFetcher(handedTokens));
    post({ type: 'pulled', pullId, report });
  } catch (error) {
    post({ type: 'failed', pullId, error: passError(error) });
  }
}

scope.onmessage = (event: MessageEvent<ToSyncWorker>) => {
  const message = event.data;
  if (message.type === 'pull') {
    token = message.token;
    void pull(message.pullId, message.userId);
    return;
  }
  const request = tokenRequests.get(message.requestId);
  tokenRequests.delete(message.requestId);
  if (message.type === 'token') request?.resolve(message.token);
  else request?.reject(receivedError(message.error));
};
