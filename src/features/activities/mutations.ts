import { useRef, useState } from 'react';
import { noteFirstScreenShown } from '../../data/first-screen';
import type { MutationHandle, MutationOutcome } from '../../outbox/mutation-client';
import type { MutationRequest } from '../../outbox/outbox-rules';
import { useOutbox } from '../../outbox/outbox-context';

/**
 * Writes go through the outbox (src/outbox/): applied to the device at once, sent when the
 * network allows, rolled back with the server's reason if refused.
 */

export interface Write {
  /** Queues the mutation; resolves with its handle (the outcome follows on the handle). */
  start(request: MutationRequest): Promise<MutationHandle | null>;
  /** Queues it and waits for the outcome ('pending' when kept for later). */
  run(request: MutationRequest): Promise<MutationOutcome | null>;
  error: string | null;
  busy: boolean;
  clearError(): void;
}

/** How long a write made while Rally opens waits for the outbox before it is turned away. */
const OUTBOX_WAIT_MS = 5_000;

export function useWrite(): Write {
  const outbox = useOutbox();
  // Read by a write that waits: it must see the outbox of a later render.
  const outboxNow = useRef(outbox);
  outboxNow.current = outbox;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /**
   * The outbox, waiting for it if the page is still opening: the parts that bring it load after
   * the screen's first read (src/data/first-screen.ts), and a write asks them to come now.
   */
  async function readyOutbox() {
    if (outboxNow.current) return outboxNow.current;
    noteFirstScreenShown();
    const deadline = Date.now() + OUTBOX_WAIT_MS;
    while (!outboxNow.current && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    return outboxNow.current;
  }

  async function start(request: MutationRequest): Promise<MutationHandle | null> {
    setError(null);
    const ready = await readyOutbox();
    if (!ready) {
      setError('Rally is still opening your data on this device; try again in a moment.');
      return null;
    }
    try {
      return await ready.mutate(request);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Something went wrong. Please try again.');
      return null;
    }
  }

  async function run(request: MutationRequest): Promise<MutationOutcome | null> {
    setBusy(true);
    try {
      const handle = await start(request);
      if (!handle) return null;
      const outcome = await handle.outcome;
      if (outcome.status === 'rejected' || outcome.status === 'failed') setError(outcome.error.message);
      return outcome;
    } finally {
      setBusy(false);
    }
  }

  return { start, run, error, busy, clearError: () => setError(null) };
}
