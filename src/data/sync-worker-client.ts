import type { AccessTokens } from '../net/authorized-fetch';
import { passError, receivedError } from './passed-error';
import type { PullReport } from './pull-feed';
import type { RunPull } from './sync-engine';
import type { FromSyncWorker, ToSyncWorker } from './sync-worker-messages';

/** The worker could not be started (no Worker, its script failed to load): the page pulls itself. */
class NoSyncWorker extends Error {}

/**
 * Pulls run in a dedicated worker (src/data/sync-worker.ts), started with the first pull and ended
 * by `close()` (sign-out ends it before the database is deleted). Where no worker can run, or its
 * script fails to load, `onPage` pulls on the page instead. `tokens` are the page's session: the
 * worker is handed the current token with each pull, and asks for a newer one when it is refused.
 */
export function pullsInWorker(userId: string, tokens: AccessTokens, onPage: RunPull): { runPull: RunPull; close(): void } {
  let worker: Worker | null = null;
  let broken = typeof Worker !== 'function';
  let nextPullId = 1;
  const pulls = new Map<number, { resolve: (report: PullReport) => void; reject: (error: Error) => void }>();

  const failAll = (error: Error) => {
    for (const pending of pulls.values()) pending.reject(error);
    pulls.clear();
  };

  const start = (): Worker => {
    const started = new Worker(new URL('./sync-worker.ts', import.meta.url), { type: 'module', name: 'rally-sync' });
    const post = (message: ToSyncWorker) => started.postMessage(message);
    started.onmessage = (event: MessageEvent<FromSyncWorker>) => {
      const message = event.data;
      if (message.type === 'need-token') {
        tokens.after(message.stale).then(
          (token) => post({ type: 'token', requestId: message.requestId, token }),
          (error: unknown) => post({ type: 'no-token', requestId: message.requestId, error: passError(error) }),
        );
        return;
      }
      const pending = pulls.get(message.pullId);
      pulls.delete(message.pullId);
      if (message.type === 'pulled') pending?.resolve(message.report);
      else pending?.reject(receivedError(message.error));
    };
    // Only a worker that never ran reports here (its own failures come back as `failed`).
    started.onerror = (event) => {
      event.preventDefault();
      broken = true;
      started.terminate();
      worker = null;
      failAll(new NoSyncWorker('The sync worker did not start'));
    };
    return started;
  };

  const inWorker = async () => {
    const token = await tokens.current();
    return new Promise<PullReport>((resolve, reject) => {
      worker ??= start();
      const pullId = nextPullId++;
      pulls.set(pullId, { resolve, reject });
      worker.postMessage({ type: 'pull', pullId, userId, token } satisfies ToSyncWorker);
    });
  };

  return {
    async runPull(isStopped) {
      if (!broken) {
        try {
          return await inWorker();
        } catch (error) {
          if (!(error instanceof NoSyncWorker)) throw error;
        }
      }
      return onPage(isStopped);
    },
    close() {
      worker?.terminate();
      worker = null;
      failAll(new Error('The session ended'));
    },
  };
}
