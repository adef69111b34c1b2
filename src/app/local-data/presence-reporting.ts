import { AWAY_AFTER_HIDDEN_MS } from '../../../protocol';
import type { RallySocket } from '../../net/socket-state';

/** What the user's presence is right now, as the page's visibility says. */
export function announcePresence(socket: RallySocket): void {
  socket.emit('presence:set', { state: document.visibilityState === 'hidden' ? 'away' : 'online' });
}

/** Away once the page has been hidden for a minute; online as soon as it shows again. Returns the stop. */
export function reportPresenceChanges(socket: RallySocket): () => void {
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
  };
}
