import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { directConversationId, TYPING_REFRESH_MS, TYPING_EXPIRY_MS } from '../../../protocol';
import { notePresence } from '../../data/chat-live';
import { useLocalUser } from '../../data/local-session';
import { useLocalWrites } from '../../data/local-writes';
import { useOutbox } from '../../outbox/outbox-context';
import { useSocket } from '../../net/socket-state';

/** Asks for these people's presence now and after every reconnect (events keep it current in between). */
export function usePresenceOf(userIds: readonly string[]): void {
  const socket = useSocket();
  const key = [...userIds].sort().join(',');
  useEffect(() => {
    if (!socket || key === '') return;
    const ask = () =>
      void socket
        .timeout(5_000)
        .emitWithAck('presence:query', { userIds: key.split(',').slice(0, 200) })
        .then((result) => {
          if (result.ok) notePresence(result.data);
        })
        .catch(() => undefined);
    if (socket.connected) ask();
    socket.on('connect', ask);
    return () => {
      socket.off('connect', ask);
    };
  }, [socket, key]);
}

/**
 * Tells the room the user is typing: a start at most every TYPING_REFRESH_MS while keys are
 * pressed, a stop after a pause (before listeners would expire it) and when the message goes.
 */
export function useTypingNotifier(conversationId: string): { onInput(): void; onSent(): void } {
  const socket = useSocket();
  const lastStart = useRef(0);
  const stopTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const stop = () => {
      clearTimeout(stopTimer.current);
      if (lastStart.current !== 0 && socket?.connected) socket.emit('typing:stop', { conversationId });
      lastStart.current = 0;
    };
    return stop;
  }, [socket, conversationId]);

  function stop() {
    clearTimeout(stopTimer.current);
    if (lastStart.current !== 0 && socket?.connected) socket.emit('typing:stop', { conversationId });
    lastStart.current = 0;
  }

  return {
    onInput() {
      if (!socket?.connected) return;
      const now = Date.now();
      if (now - lastStart.current >= TYPING_REFRESH_MS) {
        lastStart.current = now;
        socket.emit('typing:start', { conversationId });
      }
      clearTimeout(stopTimer.current);
      stopTimer.current = setTimeout(stop, TYPING_EXPIRY_MS - 500);
    },
    onSent: stop,
  };
}

/** Opens (offline too) the direct conversation with a person and goes there. */
export function useOpenDirect(): (peer: { userId: string; displayName: string }) => Promise<void> {
  const me = useLocalUser();
  const outbox = useOutbox();
  const localWrites = useLocalWrites();
  const navigate = useNavigate();
  return async (peer) => {
    if (!me || !outbox || !localWrites) return;
    const id = await directConversationId(me.userId, peer.userId);
    await localWrites.ensureDirectConversation(id, [me, peer], () => outbox.mutate({ name: 'conversation.open', args: { id, peerId: peer.userId } }));
    void navigate(`/chat/${id}`);
  };
}
