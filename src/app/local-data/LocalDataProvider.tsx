import { useEffect, useRef, useState, type ReactNode } from 'react';
import { deleteLocalDb } from '../../../device-db/local-db';
import { LocalSessionContext } from '../../data/local-session';
import type { SyncLeadership } from '../../data/sync-leader';
import { onSignedOut, useSession } from '../../net/auth-client';
import { useSocket } from '../../net/socket';
import { OutboxContext } from '../../outbox/outbox-context';
import { discardWorkerWritesOf } from '../../outbox/worker-link';
import { openLocalData, type LocalData } from './open-local-data';
import { reportPresenceChanges } from './presence-reporting';
import { listenToSocket, socketEventTable } from './socket-events';
import { leadPulls } from './sync-triggers';
import { trackDeviceOwner } from './device-owner';
import { showAppBadge } from './app-badge';

// Signing out deletes the user's database and the worker's queue of their unsent writes: the next
// person on this device sees nothing of theirs, and nothing of theirs is sent afterwards.
onSignedOut((userId) => Promise.all([discardWorkerWritesOf(userId), deleteLocalDb(userId)]).then(() => undefined));
trackDeviceOwner();

/**
 * The page's composition root for the signed-in user. Start-up in three phases: screens render
 * from the device's database at once (no network needed); once there is a token, the leading tab
 * pulls until caught up; then socket events keep it current. It pulls again on reconnect, when
 * the page becomes visible, when the browser says it is online, and when an event shows it is
 * behind.
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
    const opened = openLocalData({ userId, displayName }, () => leadership.current?.requestPull());
    setLocal(opened.data);
    return () => {
      opened.close();
      setLocal(null);
    };
  }, [userId, displayName]);

  useEffect(() => {
    if (!local || !tokenReady) return;
    const led = leadPulls(local);
    leadership.current = led;
    return () => {
      led.stop();
      leadership.current = null;
    };
  }, [local, tokenReady]);

  useEffect(() => (local ? showAppBadge(local.session) : undefined), [local]);

  const socket = useSocket();
  useEffect(() => {
    if (!socket || !local) return;
    const table = socketEventTable(local, socket, () => leadership.current?.requestPull());
    const stopListening = listenToSocket(socket, table);
    if (socket.connected) table.connect();
    const stopReporting = reportPresenceChanges(socket);
    return () => {
      stopReporting();
      stopListening();
    };
  }, [socket, local]);

  return (
    <LocalSessionContext.Provider value={local?.session ?? null}>
      <OutboxContext.Provider value={local?.outbox ?? null}>{children}</OutboxContext.Provider>
    </LocalSessionContext.Provider>
  );
}
