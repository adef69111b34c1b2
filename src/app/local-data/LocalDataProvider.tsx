import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { deleteLocalDb, openLocalDb } from '../../../device-db/local-db';
import { LocalSessionContext, ReceiptsContext, type LocalSession } from '../../data/local-session';
import { onSignedOut, useSession } from '../../net/auth-client';
import { OutboxContext } from '../../outbox/outbox-context';
import { discardWorkerWritesOf } from '../../outbox/worker-link';
import type { LocalData } from './open-local-data';
import { trackDeviceOwner } from './device-owner';
import { showAppBadge } from './app-badge';

// Signing out deletes the user's database and the worker's queue of their unsent writes: the next
// person on this device sees nothing of theirs, and nothing of theirs is sent afterwards.
onSignedOut((userId) => Promise.all([discardWorkerWritesOf(userId), deleteLocalDb(userId)]).then(() => undefined));
trackDeviceOwner();

/** Loaded once the database is open, never before the first paint (OnlineParts.tsx). */
const OnlineParts = lazy(() => import('./OnlineParts').then((module) => ({ default: module.OnlineParts })));

/**
 * The page's composition root for the signed-in user. Start-up in three phases: screens render
 * from the device's database at once (no network and no more code needed); the parts that talk
 * to the server load beside them (OnlineParts.tsx) and, once there is a token, the leading tab
 * pulls until caught up; then socket events keep it current. Until those parts are there, writes
 * say Rally is still opening (useWrite) and receipts wait.
 */
export function LocalDataProvider({ children }: { children: ReactNode }) {
  const sessionState = useSession();
  const userId = sessionState.status === 'signed-in' ? sessionState.user.id : null;
  const displayName = sessionState.status === 'signed-in' ? sessionState.user.displayName : '';
  const tokenReady = sessionState.status === 'signed-in' && sessionState.token === 'ready';
  const [session, setSession] = useState<LocalSession | null>(null);
  const [local, setLocal] = useState<LocalData | null>(null);

  useEffect(() => {
    if (!userId) return;
    const db = openLocalDb(userId);
    setSession({ userId, displayName, db });
    return () => {
      setSession(null);
      db.close();
    };
  }, [userId, displayName]);

  // Nothing of an earlier user (or name) is handed on, not even in the render before its effect is undone;
  // and unmounting OnlineParts in that same render stops the outbox before the database closes.
  const open = session && session.userId === userId && session.displayName === displayName ? session : null;
  const parts = local && local.session === open ? local : null;

  useEffect(() => (open ? showAppBadge(open) : undefined), [open]);

  return (
    <LocalSessionContext.Provider value={open}>
      <ReceiptsContext.Provider value={parts?.receipts ?? null}>
        <OutboxContext.Provider value={parts?.outbox ?? null}>{children}</OutboxContext.Provider>
      </ReceiptsContext.Provider>
      {open && (
        <Suspense fallback={null}>
          <OnlineParts session={open} tokenReady={tokenReady} onOpen={setLocal} />
        </Suspense>
      )}
    </LocalSessionContext.Provider>
  );
}
