import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { directConversationId, TYPING_REFRESH_MS, TYPING_EXPIRY_MS, MessagesPage } from '../../../protocol';
import { notePresence } from '../../data/chat-live';
import { useOptionalLocalData, type LocalData } from '../../data/local-data';
import { writeChanges } from '../../data/write-changes';
import { apiRequest } from '../../net/api';
import { useSocket } from '../../net/socket';

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

/** Loads the page of messages before `beforeSeq` into the device's database (kept for offline reading). */
export async function loadOlderMessages(db: LocalData['db'], conversationId: string, beforeSeq: number): Promise<boolean> {
  const page = await apiRequest(`/api/conversations/${encodeURIComponent(conversationId)}/messages?${new URLSearchParams({ before: String(beforeSeq) })}`, {
    schema: MessagesPage,
  });
  await writeChanges(
    db,
    page.messages.map((message) => ({ entity: 'message' as const, op: 'upsert' as const, id: message.id, version: message.seq, data: message })),
  );
  return page.hasMore;
}

/** Opens (offline too) the direct conversation with a person and goes there. */
export function useOpenDirect(): (peer: { userId: string; displayName: string }) => Promise<void> {
  const local = useOptionalLocalData();
  const navigate = useNavigate();
  return async (peer) => {
    if (!local) return;
    const id = await directConversationId(local.userId, peer.userId);
    const existing = await local.db.conversations.get(id);
    if (!existing) {
      await local.outbox.mutate({ name: 'conversation.open', args: { id, peerId: peer.userId } });
      // The optimistic row may lack the name if the person is known only from search.
      await local.db.conversations.update(id, {
        participants: [
          { userId: local.userId, displayName: local.displayName },
          { userId: peer.userId, displayName: peer.displayName },
        ],
      });
    }
    void navigate(`/chat/${id}`);
  };
}
