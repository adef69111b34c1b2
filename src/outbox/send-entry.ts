import { FIRST_ATTEMPT, nextAttempt, nextSendStep } from '../../protocol';
import type { OutboxEntry, RallyLocalDb } from '../../device-db/local-db';
import { chainedToPredecessor } from '../../device-db/outbox-chain';
import { uploadPhotoFor } from '../../device-db/photo-uploads';
import { currentAccessToken, refreshSession } from '../net/auth-client';
import { sendMutation } from './transports';

/** How one entry's sending ended: settled, handed to the worker, or kept (and what is behind it waits too). */
export type SendResult = 'done' | 'queued' | 'stop';

export interface SendEntryDeps {
  db: RallyLocalDb;
  writerId: string;
  /** The server's final answer (or the tries used up) into the database and to the caller. */
  settle: (mutationId: number, outcome: 'applied' | 'rejected' | 'failed', body: unknown) => Promise<void>;
  /** The entry is kept for later: tell whoever waits on it. */
  keptForLater: (mutationId: number) => void;
  askWorkerToReplay: () => void;
}

/** One entry to the server, answer by answer through the shared send policy (`protocol/send-policy.ts`). */
export async function sendEntry(deps: SendEntryDeps, entry: OutboxEntry): Promise<SendResult> {
  let attempt = FIRST_ATTEMPT;
  for (;;) {
    const mutation = await chainedToPredecessor(deps.db, entry);
    // A photo's file goes before its message. No network for it: the message goes by HTTP, so a
    // worker keeps both and sends them in that order later (sw/outbox.ts), page open or not.
    const upload = await uploadPhotoFor(deps.db, mutation, currentAccessToken());
    const answer = upload === 'ready' ? await sendMutation(mutation, deps.writerId) : upload === 'unreachable' ? await sendMutation(mutation, deps.writerId, { httpOnly: true }) : upload;
    if (answer?.status === 202) {
      await deps.db.outbox.update(entry.mutationId, { queuedInWorker: true });
      deps.keptForLater(entry.mutationId);
      return 'queued';
    }
    // No worker to keep it and no network: it stays pending; `online` sends it.
    const step = nextSendStep(answer ?? { status: 0 }, attempt, 'wait');
    attempt = nextAttempt(attempt, step);
    switch (step.kind) {
      case 'applied':
      case 'rejected':
        await deps.settle(entry.mutationId, step.kind, answer?.body);
        return 'done';
      case 'failed': {
        const status = answer && answer.status > 0 ? answer.status : 'timeout';
        await deps.settle(entry.mutationId, 'failed', {
          error: { code: 'unavailable', message: `Rally's server could not take this change (${status}). Retry when it is back.` },
          mutation: { clientId: entry.mutation.clientId, mutationId: entry.mutationId },
        });
        return 'done';
      }
      case 'refresh':
        if ((await refreshSession()) === 'refreshed') continue;
        deps.keptForLater(entry.mutationId);
        return 'stop';
      case 'wait-for-earlier':
        // An earlier mutation of ours is still on its way (the worker holds it): this one waits for
        // it, without using up a try, and goes again chained to whatever is then still outstanding.
        deps.askWorkerToReplay();
        await sleep(step.afterMs);
        continue;
      case 'retry':
        await sleep(step.afterMs);
        continue;
      case 'unchain':
      case 'hold':
      case 'offline':
        deps.keptForLater(entry.mutationId);
        return 'stop';
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
