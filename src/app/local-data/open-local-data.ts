import { resetChatLive } from '../../data/chat-live';
import type { LocalSession } from '../../data/local-session';
import { ReceiptReporter } from '../../data/receipts';
import { pullFeed } from '../../data/pull-feed';
import { SyncEngine, type RunPull } from '../../data/sync-engine';
import { syncPageFetcher } from '../../data/sync-page-fetcher';
import { pullsInWorker } from '../../data/sync-worker-client';
import { sessionTokens } from '../../net/api';
import { MutationClient } from '../../outbox/mutation-client';

/** Everything the page keeps for one signed-in user on this device. */
export interface LocalData {
  session: LocalSession;
  engine: SyncEngine;
  /** Every write goes through it (src/outbox/). */
  outbox: MutationClient;
  receipts: ReceiptReporter;
}

/**
 * Builds the parts that work on the user's open database and talk to the server: the outbox
 * (started at once, so what waits from an earlier visit goes as soon as it can), the sync engine
 * and the receipts. `requestPull` is how the engine asks for a pull when an event shows the
 * device is behind: the leading tab pulls (sync-triggers.ts). The database is the caller's to close.
 */
export function openLocalData(session: LocalSession, requestPull: () => void): { data: LocalData; close(): void } {
  const { db, userId, displayName } = session;
  const outbox = new MutationClient(db, { userId, displayName });
  const onPage: RunPull = (isStopped) =>
    pullFeed(db, syncPageFetcher(sessionTokens), { isStopped });
  // Off the main thread where a worker can run: a first sync is minutes of work on a phone.
  const pulls = pullsInWorker(userId, sessionTokens, onPage);
  const engine = new SyncEngine(db, pulls.runPull, requestPull);
  const receipts = new ReceiptReporter(db, userId);
  outbox.start();
  return {
    data: { session, engine, outbox, receipts },
    close() {
      resetChatLive();
      outbox.stop();
      engine.stop();
      pulls.close();
    },
  };
}
