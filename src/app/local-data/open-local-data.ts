import { resetChatLive } from '../../data/chat-live';
import { openLocalDb } from '../../../device-db/local-db';
import type { LocalSession } from '../../data/local-session';
import { ReceiptReporter } from '../../data/receipts';
import { SyncEngine } from '../../data/sync-engine';
import { syncPageFetcher } from '../../data/sync-page-fetcher';
import { MutationClient } from '../../outbox/mutation-client';

/** Everything the page keeps for one signed-in user on this device. */
export interface LocalData {
  session: LocalSession;
  engine: SyncEngine;
  /** Every write goes through it (src/outbox/). */
  outbox: MutationClient;
}

/**
 * Opens the user's database and builds the parts that work on it: the outbox (started at once, so
 * what waits from an earlier visit goes as soon as it can), the sync engine and the receipts.
 * `requestPull` is how the engine asks for a pull when an event shows the device is behind: the
 * leading tab pulls (sync-triggers.ts).
 */
export function openLocalData(user: { userId: string; displayName: string }, requestPull: () => void): { data: LocalData; close(): void } {
  const db = openLocalDb(user.userId);
  const outbox = new MutationClient(db, user);
  const engine = new SyncEngine(db, syncPageFetcher(), requestPull);
  const receipts = new ReceiptReporter(db, user.userId);
  outbox.start();
  return {
    data: { session: { ...user, db, receipts }, engine, outbox },
    close() {
      resetChatLive();
      outbox.stop();
      engine.stop();
      db.close();
    },
  };
}
