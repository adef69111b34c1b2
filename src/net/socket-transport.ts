import type { RallySocket } from './socket-state';
import { ObservableValue, useObservableValue } from './observable-value';

/**
 * Which transports the live connection may use. WebSocket is the default; the `websocket-enabled`
 * flag can turn it off (a network or proxy that breaks WebSockets), leaving Socket.IO's
 * long-polling. The last choice is kept on the device, so a cold start, offline or before the
 * flags answer, opens the socket the way it last worked.
 */

type Transport = 'polling' | 'websocket';

const STORAGE_KEY = 'rally:websocket-enabled';

/** The transport the open socket uses now ('websocket' after an upgrade), or null when not connected. */
export const socketTransport = new ObservableValue<Transport | null>(null);

export function useSocketTransport(): Transport | null {
  return useObservableValue(socketTransport);
}

export function preferredTransports(): Transport[] {
  return window.localStorage.getItem(STORAGE_KEY) === 'false' ? ['polling'] : ['polling', 'websocket'];
}

/** Follows the socket's transport as it connects and upgrades. */
export function followTransport(socket: RallySocket): void {
  socket.on('connect', () => {
    const engine = socket.io.engine;
    socketTransport.set(engine.transport.name as Transport);
    engine.once('upgrade', () => socketTransport.set(engine.transport.name as Transport));
  });
  socket.on('disconnect', () => socketTransport.set(null));
}

/**
 * The flag's value, applied: remembered, and if the open socket may not keep its transport (or
 * may now upgrade), its connection is dropped so that Socket.IO reconnects with the new choice.
 */
export function allowWebSocket(allowed: boolean, socket: RallySocket | null): void {
  window.localStorage.setItem(STORAGE_KEY, String(allowed));
  if (!socket) return;
  const wanted = preferredTransports();
  const current = socket.io.opts.transports ?? [];
  if (current.length === wanted.length && current.every((name, i) => name === wanted[i])) return;
  socket.io.opts.transports = wanted;
  // Closing the engine (not the socket) is a lost connection to Socket.IO: it reconnects by itself.
  if (socket.connected) socket.io.engine.close();
}
