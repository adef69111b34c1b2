import { userRoom } from '../../protocol';
import type { RallyServer } from './socket-types';

/**
 * Keeps a user to `max` sockets: past it, the oldest close, so a fresh tab always gets in and
 * a script cannot hold an unbounded number of connections (each with its own flood buckets).
 * fetchSockets asks every process through the adapter, and a remote socket's disconnect is relayed
 * to the process that holds it.
 */
export async function closeOldestSockets(io: RallyServer, userId: string, max: number): Promise<void> {
  const sockets = await io.in(userRoom(userId)).fetchSockets();
  if (sockets.length <= max) return;
  const oldestFirst = [...sockets].sort((a, b) => a.data.connectedAt - b.data.connectedAt || a.id.localeCompare(b.id));
  for (const socket of oldestFirst.slice(0, sockets.length - max)) socket.disconnect(true);
}
