import { createContext, useContext } from 'react';
import type { MutationClient } from './mutation-client';

/** The signed-in user's outbox, provided by the page's composition root (src/app/local-data/). */
export const OutboxContext = createContext<MutationClient | null>(null);

/** Null until the user's database is open; every write of a screen goes through it. */
export function useOutbox(): MutationClient | null {
  return useContext(OutboxContext);
}
