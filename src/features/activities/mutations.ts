import { useState } from 'react';
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

export function useWrite(): Write {
  // Waits for the outbox when a write comes in Rally's first second (src/outbox/outbox-gate.ts).
  const outbox = useOutbox();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function start(request: MutationRequest): Promise<MutationHandle | null> {
    setError(null);
    if (!outbox) {
      setError('Sign in to make changes.');
      return null;
    }
    try {
      return await outbox.mutate(request);
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
