import { useEffect } from 'react';
import { useSocket } from '../../net/socket-state';

/**
 * Joins the activity's socket room while its screen is open (the server sends room-only events
 * there, and chat will live there). Rejoins after every reconnect, since rooms do not survive one.
 */
export function useActivityRoom(activityId: string): void {
  const socket = useSocket();

  useEffect(() => {
    if (!socket) return;
    const join = () => socket.emit('room:join', { activityId }, () => undefined);
    if (socket.connected) join();
    socket.on('connect', join);
    return () => {
      socket.off('connect', join);
      if (socket.connected) socket.emit('room:leave', { activityId }, () => undefined);
    };
  }, [socket, activityId]);
}
