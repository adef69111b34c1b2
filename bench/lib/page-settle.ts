import type { Page, Request } from '@playwright/test';

export interface Settling {
  /** From the call until the last sign of activity. */
  ms: number;
  /** Pulls the page finished meanwhile. */
  pulls: number;
  /** Changes the server took meanwhile: with nobody else writing, the page's own (delivery receipts). */
  serverChanges: number;
  /** False when the page was still busy at `maxMs`. */
  settled: boolean;
}

/**
 * Waits until the page has been quiet for `quietMs`: no sync request sent, no pull finished and
 * no change on the server. A first sync is followed by work of its own: the page reports delivery
 * of the conversations it received, each receipt comes back as an event, and each event makes it
 * pull. A change made meanwhile can ride along in a pull that started before it, so a one-change
 * pull can only be measured once that is over.
 */
export async function waitUntilSettled(
  page: Page,
  readServerSeq: () => Promise<number>,
  { quietMs = 3_000, maxMs = 180_000 } = {},
): Promise<Settling> {
  let syncRequests = 0;
  const countSyncRequest = (request: Request) => {
    if (new URL(request.url()).pathname === '/api/sync') syncRequests += 1;
  };
  page.on('request', countSyncRequest);
  const finishedPulls = () => page.evaluate(() => performance.getEntriesByName('rally:sync:pull').length);
  const started = Date.now();
  const [pullsBefore, seqBefore] = [await finishedPulls(), await readServerSeq()];
  let pulls = pullsBefore;
  let seq = seqBefore;
  let lastActivity = started;
  let seen = '';
  try {
    for (;;) {
      [pulls, seq] = [await finishedPulls(), await readServerSeq()];
      const state = `${syncRequests}/${pulls}/${seq}`;
      if (state !== seen) {
        seen = state;
        lastActivity = Date.now();
      }
      const quiet = Date.now() - lastActivity >= quietMs;
      if (quiet || Date.now() - started >= maxMs) {
        return { ms: lastActivity - started, pulls: pulls - pullsBefore, serverChanges: seq - seqBefore, settled: quiet };
      }
      await page.waitForTimeout(200);
    }
  } finally {
    page.off('request', countSyncRequest);
  }
}
