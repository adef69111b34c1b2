import { createContext, useContext, useMemo } from 'react';
import type { RallyLocalDb } from '../../device-db/local-db';
import type { ReceiptReporter } from './receipts';

/**
 * The signed-in user's open database, as the page's composition root (src/app/local-data/)
 * provides it from the first paint. Screens do not read `db` themselves: they use the named
 * live queries of src/data (`activity-queries.ts`, `chat-queries.ts`) and the writes of
 * `local-writes.ts`; this context is what those are built on.
 */
export interface LocalSession {
  userId: string;
  displayName: string;
  db: RallyLocalDb;
}

export const LocalSessionContext = createContext<LocalSession | null>(null);
/** The user's delivered and read watermarks (receipts.ts): they talk to the server, so they come a moment after the database. */
export const ReceiptsContext = createContext<ReceiptReporter | null>(null);

/** Null until the database of a signed-in user is open (a moment after a cold start). */
export function useLocalSession(): LocalSession | null {
  return useContext(LocalSessionContext);
}

/** Who the open database belongs to; null while none is open. */
export function useLocalUser(): { userId: string; displayName: string } | null {
  const session = useLocalSession();
  // One object per open database, so it can stand in a hook's dependencies.
  return useMemo(() => (session ? { userId: session.userId, displayName: session.displayName } : null), [session]);
}

export function useReceipts(): ReceiptReporter | null {
  return useContext(ReceiptsContext);
}
