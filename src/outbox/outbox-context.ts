import { createContext, useContext } from 'react';
import type { MutationClient } from './mutation-client';
import type { OutboxWrites } from './outbox-gate';

export interface OutboxAccess {
  /** Writes: they wait for the outbox if it has not loaded yet (outbox-gate.ts). */
  writes: OutboxWrites;
  /** The loaded outbox, for what only reads its state (sending, the worker's queue); null before. */
  client: MutationClient | null;
}

/** The signed-in user's outbox, provided by the page's composition root (src/app/local-data/). */
export const OutboxContext = createContext<OutboxAccess | null>(null);

/** Every write of a screen goes through it; null only when nobody is signed in. */
export function useOutbox(): OutboxWrites | null {
  return useContext(OutboxContext)?.writes ?? null;
}

/** The loaded outbox, or null until its code has loaded (after the first screen's data). */
export function useOutboxClient(): MutationClient | null {
  return useContext(OutboxContext)?.client ?? null;
}
