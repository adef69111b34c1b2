import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { SyncResponse, type ActivityChangedEvent, type ActivityCountEvent, type ActivityDeletedEvent } from '../../protocol';
import { apiRequest } from '../net/api';
import { onSignedOut, useSession } from '../net/auth-client';
import { useSocket } from '../net/socket';
import type { LocalChange } from './apply-changes';
import { changesOfActivityChanged, changesOfActivityDeleted, changesOfCountEvent } from './event-changes';
import { deleteLocalDb, openLocalDb, type RallyLocalDb } from './local-db';
import { SyncEngine, type FetchSyncPage } from './sync-engine';
import { MutationClient, clientIdOf } from '../outbox/mutation-client';
import { electSyncLeader, type SyncLeadership } from './sync-leader';

export interface LocalData {
  userId: string;
  displayName: string;
  db: RallyLocalDb;
  engine: SyncEngine;
  /** Every write goes through it (src/outbox/). */
  outbox: MutationClient;
}

const LocalDataContext = createContext<LocalData | null>(null);

/** The signed-in user's local database; every screen reads through it. */
export function useLocalData(): LocalData {
  const local = useContext(LocalDataContext);
  if (!local) throw new Error('useLocalData outside a signed-in session');
  return local;
}

export function useOptionalLocalData(): LocalData | null {
  return useContext(LocalDataContext);
}

/**
 * Sync pages carry this device's mutation sender id, so the last page says how far the server got
 * with its mutations: the outbox settles what the worker replayed while no page was open.
 */
function syncPageFetcher(db: RallyLocalDb, outbox: MutationClient): FetchSyncPage {
  return async (cursor, limit) => {
    const clientId = await clientIdOf(db);
    const query = new URLSearchParams({ limit: String(limit), clientId, ...(cursor ? { cursor } : {}) });
    const page = await apiRequest(`/api/sync?${query}`, { schema: SyncResponse });
    if (!page.hasMore && page.lastMutationId !== undefined) void outbox.noteServerProgress(page.lastMutationId).catch(() => undefined);
    return page;
  };
}

// Signing out deletes the user's database: the next person on this device sees nothing of theirs.
onSignedOut((userId) => deleteLocalDb(userId));

/**
 * Start-up in three phases: screens render from the device's database at once (no network
 * needed); once there is a token, the leading tab pulls until caught up; then socket events keep
 * it current. It pulls again on reconnect, when the page becomes visible, when the browser says
 * it is online, and when an event shows it is behind.
 */
export function LocalDataProvider({ children }: { children: ReactNode }) {
  const sessionState = useSession();
  const userId = sessionState.status === 'signed-in' ? sessionState.user.id : null;
  const displayName = sessionState.status === 'signed-in' ? sessionState.user.displayName : '';
  const tokenReady = sessionState.status === 'signed-in' && sessionState.token === 'ready';
  const [local, setLocal] = useState<LocalData | null>(null);
  const leadership = useRef<SyncLeadership | null>(null);

  useEffect(() => {
    if (!userId) return;
    const db = openLocalDb(userId);
    const outbox = new MutationClient(db, { userId, displayName });
    const engine = new SyncEngine(db, syncPageFetcher(db, outbox), () => leadership.current?.requestPull());
    outbox.start();
    setLocal({ userId, displayName, db, engine, outbox });
    return () => {
      outbox.stop();
      engine.stop();
      db.close();
      setLocal(null);
    };
  }, [userId, displayName]);

  useEffect(() => {
    if (!local || !tokenReady) return;
    const pull = () => void local.engine.pull().catch(() => undefined);
    const elected = electSyncLeader(local.userId, pull);
    leadership.current = elected;
    const onVisible = () => {
      if (document.visibilityState === 'visible') elected.requestPull();
    };
    const onOnline = () => elected.requestPull();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('online', onOnline);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', onOnline);
      elected.stop();
      leadership.current = null;
    };
  }, [local, tokenReady]);

  const socket = useSocket();
  useEffect(() => {
    if (!socket || !local) return;
    const apply = (changes: LocalChange[], seq: number) => void local.engine.applyEvent(changes, seq).catch(() => undefined);
    const handlers = {
      // Every (re)connect may follow missed events: catch up from the cursor.
      connect: () => {
        leadership.current?.requestPull();
        // The server is reachable again: what waits in the outbox can go.
        local.outbox.kick();
      },
      created: (event: ActivityChangedEvent) => apply(changesOfActivityChanged(event), event.seq),
      updated: (event: ActivityChangedEvent) => apply(changesOfActivityChanged(event), event.seq),
      deleted: (event: ActivityDeletedEvent) => apply(changesOfActivityDeleted(event), event.seq),
      joined: (event: ActivityCountEvent) => apply(changesOfCountEvent('user_joined', event), event.seq),
      left: (event: ActivityCountEvent) => apply(changesOfCountEvent('user_left', event), event.seq),
      liked: (event: ActivityCountEvent) => apply(changesOfCountEvent('like_added', event), event.seq),
      unliked: (event: ActivityCountEvent) => apply(changesOfCountEvent('like_removed', event), event.seq),
    };
    socket.on('connect', handlers.connect);
    socket.on('activity:created', handlers.created);
    socket.on('activity:updated', handlers.updated);
    socket.on('activity:deleted', handlers.deleted);
    socket.on('activity:user_joined', handlers.joined);
    socket.on('activity:user_left', handlers.left);
    socket.on('activity:like_added', handlers.liked);
    socket.on('activity:like_removed', handlers.unliked);
    return () => {
      socket.off('connect', handlers.connect);
      socket.off('activity:created', handlers.created);
      socket.off('activity:updated', handlers.updated);
      socket.off('activity:deleted', handlers.deleted);
      socket.off('activity:user_joined', handlers.joined);
      socket.off('activity:user_left', handlers.left);
      socket.off('activity:like_added', handlers.liked);
      socket.off('activity:like_removed', handlers.unliked);
    };
  }, [socket, local]);

  return <LocalDataContext.Provider value={local}>{children}</LocalDataContext.Provider>;
}
