import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { AWAY_AFTER_HIDDEN_MS, SyncResponse, type ServerToClientEvents } from '../../protocol';
import { apiRequest } from '../net/api';
import { onSignedOut, useSession } from '../net/auth-client';
import { useSocket } from '../net/socket';
import type { LocalChange } from './apply-changes';
import { noteAnnouncement } from './announcements';
import { notePresence, noteTyping, resetChatLive, stopTyping } from './chat-live';
import {
  changesOfActivityChanged,
  changesOfActivityDeleted,
  changesOfCheckin,
  changesOfConversation,
  changesOfCountEvent,
  changesOfMessage,
  changesOfReceipt,
} from './event-changes';
import { ReceiptReporter } from './receipts';
import { deleteLocalDb, openLocalDb, type RallyLocalDb } from './local-db';
import { SyncEngine, type FetchSyncPage } from './sync-engine';
import { MutationClient, clientIdOf } from '../outbox/mutation-client';
import { discardWorkerWritesOf } from '../outbox/worker-link';
import { electSyncLeader, type SyncLeadership } from './sync-leader';

export interface LocalData {
  userId: string;
  displayName: string;
  db: RallyLocalDb;
  engine: SyncEngine;
  /** Every write goes through it (src/outbox/). */
  outbox: MutationClient;
  /** The user's delivered and read watermarks (src/data/receipts.ts). */
  receipts: ReceiptReporter;
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

// Signing out deletes the user's database and the worker's queue of their unsent writes: the next
// person on this device sees nothing of theirs, and nothing of theirs is sent afterwards.
onSignedOut((userId) => Promise.all([discardWorkerWritesOf(userId), deleteLocalDb(userId)]).then(() => undefined));

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
    const receipts = new ReceiptReporter(db, userId);
    outbox.start();
    setLocal({ userId, displayName, db, engine, outbox, receipts });
    return () => {
      resetChatLive();
      outbox.stop();
      engine.stop();
      db.close();
      setLocal(null);
    };
  }, [userId, displayName]);

  useEffect(() => {
    if (!local || !tokenReady) return;
    // After a pull, what others sent that is now on this device counts as delivered.
    const pull = () =>
      void local.engine
        .pull()
        .then(() => local.receipts.noteArrivals())
        .catch(() => undefined);
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
    const apply = (changes: LocalChange[], seq: number) => local.engine.applyEvent(changes, seq).catch(() => undefined);
    type Handlers = { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] } & { connect: () => void };
    const handlers: Handlers = {
      // Every (re)connect may follow missed events: catch up from the cursor.
      connect: () => {
        leadership.current?.requestPull();
        // The server is reachable again: what waits in the outbox can go, and so can receipts.
        local.outbox.kick();
        local.receipts.flush();
        socket.emit('presence:set', { state: document.visibilityState === 'hidden' ? 'away' : 'online' });
      },
      'activity:created': (event) => void apply(changesOfActivityChanged(event), event.seq),
      'activity:updated': (event) => void apply(changesOfActivityChanged(event), event.seq),
      'activity:deleted': (event) => void apply(changesOfActivityDeleted(event), event.seq),
      'activity:user_joined': (event) => void apply(changesOfCountEvent('user_joined', event), event.seq),
      'activity:user_left': (event) => void apply(changesOfCountEvent('user_left', event), event.seq),
      'activity:like_added': (event) => void apply(changesOfCountEvent('like_added', event), event.seq),
      'activity:like_removed': (event) => void apply(changesOfCountEvent('like_removed', event), event.seq),
      'activity:checked_in': (event) => void apply(changesOfCheckin(event), event.seq),
      'message:new': (event) => {
        stopTyping(event.message.conversationId, event.message.senderId);
        void apply(changesOfMessage(event, local.userId), event.seq).then(() => {
          if (event.message.senderId !== local.userId) void local.receipts.advance(event.message.conversationId, event.message.seq, false);
        });
      },
      'announcement:new': (event) => {
        if (event.message.senderId !== local.userId) noteAnnouncement(event.message);
      },
      'conversation:new': (event) => void apply(changesOfConversation(event), event.seq),
      'receipt:updated': (event) => void apply(changesOfReceipt(event), event.seq),
      typing: (event) => noteTyping(event),
      presence: (event) => notePresence([event]),
    };
    for (const [name, handler] of Object.entries(handlers)) socket.on(name as 'connect', handler as () => void);
    if (socket.connected) handlers.connect();

    // Away once the page has been hidden for a minute; online as soon as it shows again.
    let awayTimer: ReturnType<typeof setTimeout> | undefined;
    const onVisibility = () => {
      clearTimeout(awayTimer);
      if (document.visibilityState === 'visible') socket.emit('presence:set', { state: 'online' });
      else awayTimer = setTimeout(() => socket.emit('presence:set', { state: 'away' }), AWAY_AFTER_HIDDEN_MS);
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearTimeout(awayTimer);
      document.removeEventListener('visibilitychange', onVisibility);
      for (const [name, handler] of Object.entries(handlers)) socket.off(name as 'connect', handler as () => void);
    };
  }, [socket, local]);

  return <LocalDataContext.Provider value={local}>{children}</LocalDataContext.Provider>;
}
