import { userRoom } from '../../protocol';
import type { RallyServer } from './socket-types';

/**
 * Rows only one user sees (their notifications, settings, mutes) changed: each of their sockets
 * hears `own:changed` with the newest position, and pulls. One event per user, however many rows.
 */
export function tellOwnDevices(io: RallyServer, changes: readonly { userId: string; seq: number }[]): void {
  const newest = new Map<string, number>();
  for (const { userId, seq } of changes) newest.set(userId, Math.max(seq, newest.get(userId) ?? 0));
  for (const [userId, seq] of newest) io.to(userRoom(userId)).emit('own:changed', { seq });
}
