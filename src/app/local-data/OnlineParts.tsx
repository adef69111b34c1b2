import '../../net/zod-without-eval';
import { useEffect, useRef, useState } from 'react';
import type { LocalSession } from '../../data/local-session';
import type { SyncLeadership } from '../../data/sync-leader';
import { closeSocket, openSocket } from '../../net/socket';
import { useSocket } from '../../net/socket-state';
import { openLocalData, type LocalData } from './open-local-data';
import { reportPresenceChanges } from './presence-reporting';
import { listenToSocket, socketEventTable } from './socket-events';
import { leadPulls } from './sync-triggers';
import { startFeatureFlags } from '../feature-flags';

/**
 * What keeps the signed-in user's open database in step with the server: the outbox, the sync
 * engine, the receipts and the socket, with the zod schemas that check what they receive.
 * LocalDataProvider loads this after the first paint: the screens render from the database
 * without it, so the page's first load carries none of it (issue 13).
 *
 * Once there is a token, the leading tab pulls until caught up; then socket events keep it
 * current. It pulls again on reconnect, when the page becomes visible, when the browser says it
 * is online, and when an event shows it is behind. One socket while there is a token, none otherwise.
 * Feature flags start here too (src/app/feature-flags.ts), with the same lazy load.
 */
export function OnlineParts({ session, tokenReady, onOpen }: { session: LocalSession; tokenReady: boolean; onOpen: (local: LocalData | null) => void }) {
  const [local, setLocal] = useState<LocalData | null>(null);
  const leadership = useRef<SyncLeadership | null>(null);

  useEffect(() => {
    const opened = openLocalData(session, () => leadership.current?.requestPull());
    setLocal(opened.data);
    onOpen(opened.data);
    return () => {
      opened.close();
      setLocal(null);
      onOpen(null);
    };
  }, [session, onOpen]);

  // Flags start from the device's last answer, token or not (offline, a cold start).
  useEffect(() => {
    startFeatureFlags(session.userId);
  }, [session.userId]);

  useEffect(() => {
    if (!tokenReady) return;
    openSocket();
    return closeSocket;
  }, [tokenReady, session.userId]);

  useEffect(() => {
    if (!local || !tokenReady) return;
    const led = leadPulls(local);
    leadership.current = led;
    return () => {
      led.stop();
      leadership.current = null;
    };
  }, [local, tokenReady]);

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

  return null;
}
