import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { deleteLocalDb, localDbName, openLocalDb, type RallyLocalDb } from '../../../device-db/local-db';
import { clearPhotoCache } from '../../../device-db/photo-cache';
import { forgetFeed } from '../../data/feed-snapshot';
import { noteFirstScreenShown, useAfterFirstScreen } from '../../data/first-screen';
import { LocalSessionContext, ReceiptsContext, type LocalSession } from '../../data/local-session';
import { onSignedOut, session as authSession, useSession } from '../../net/auth-client';
import { OutboxContext, type OutboxAccess } from '../../outbox/outbox-context';
import { OutboxGate } from '../../outbox/outbox-gate';
import { discardWorkerWritesOf } from '../../outbox/worker-link';
import type { LocalData } from './open-local-data';
import { trackDeviceOwner } from './device-owner';
import { showAppBadge } from './app-badge';

// Signing out deletes the user's database and the worker's queue of their unsent writes: the next
// person on this device sees nothing of theirs, and nothing of theirs is sent afterwards.
onSignedOut((userId) => {
  forgetFeed(userId);
  return Promise.all([discardWorkerWritesOf(userId), deleteLocalDb(userId), clearPhotoCache()]).then(() => undefined);
});
trackDeviceOwner();

/**
 * The remembered user's database starts opening in the task after this module loads, beside
 * React's first render (a transition, in slices): on a warm start IndexedDB's open is the longest
 * wait before the first read, and it needs none of React. Not in the bundle's evaluation itself:
 * setting up Dexie's tables is ~20 ms of a phone's CPU (4× this machine's), which made that task a long one. The
 * provider's first effect takes it; anyone else gets a database of their own.
 */
let openedAtStart: RallyLocalDb | null = null;
const openingAtStart = setTimeout(() => (openedAtStart = openRememberedUsersDb()), 0);

function openRememberedUsersDb(): RallyLocalDb | null {
  const state = authSession.get();
  if (state.status !== 'signed-in') return null;
  const db = openLocalDb(state.user.id);
  // A failure shows at the first read, which opens the database again, as it would without this.
  void db.open().catch(() => undefined);
  return db;
}

function takeLocalDb(userId: string): RallyLocalDb {
  clearTimeout(openingAtStart);
  const early = openedAtStart;
  openedAtStart = null;
  if (early?.name === localDbName(userId)) return early;
  early?.close();
  return openLocalDb(userId);
}

/** Loaded once the first screen has shown its data, never before the first paint (OnlineParts.tsx). */
// The contract's schemas are built a part per task first (src/net/contract-in-steps.ts), not in one long one.
const OnlineParts = lazy(() =>
  import('../../net/contract-in-steps')
    .then(({ buildContractInSteps }) => buildContractInSteps())
    .then(() => import('./OnlineParts'))
    .then((module) => ({ default: module.OnlineParts })),
);

/**
 * The page's composition root for the signed-in user. Start-up in three phases: screens render
 * from the device's database at once (no network and no more code needed); the parts that talk
 * to the server load once the screen has shown its data (OnlineParts.tsx, src/data/first-screen.ts)
 * and, once there is a token, the leading tab pulls until caught up; then socket events keep it
 * current. A write made before those parts are there brings them at once and waits for the
 * outbox (OutboxGate); receipts wait.
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
    const db = takeLocalDb(userId);
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

  // One gate per session: a write waiting in it goes to this user's outbox or nowhere.
  const gate = useMemo(() => (open ? new OutboxGate(noteFirstScreenShown) : null), [open]);
  useEffect(() => {
    gate?.reopen();
    return () => gate?.close();
  }, [gate]);
  const outboxClient = parts?.outbox ?? null;
  useEffect(() => gate?.use(outboxClient), [gate, outboxClient]);
  const outbox = useMemo<OutboxAccess | null>(() => (gate ? { writes: gate, client: outboxClient } : null), [gate, outboxClient]);

  // The badge's count and the parts that talk to the server wait for the screen's own first read.
  const afterFirstScreen = useAfterFirstScreen();
  useEffect(() => (open && afterFirstScreen ? showAppBadge(open) : undefined), [open, afterFirstScreen]);

  return (
    <LocalSessionContext.Provider value={open}>
      <ReceiptsContext.Provider value={parts?.receipts ?? null}>
        <OutboxContext.Provider value={outbox}>{children}</OutboxContext.Provider>
      </ReceiptsContext.Provider>
      {open && afterFirstScreen && (
        <Suspense fallback={null}>
          <OnlineParts session={open} tokenReady={tokenReady} onOpen={setLocal} />
        </Suspense>
      )}
    </LocalSessionContext.Provider>
  );
}
