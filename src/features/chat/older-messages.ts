import { useQueryClient } from '@tanstack/react-query';
import { MessagesPage } from '../../../protocol';
import { useLocalWrites } from '../../data/local-writes';
import { apiRequest } from '../../net/api';

export const messageKeys = {
  olderThan: (conversationId: string, beforeSeq: number) => ['conversations', conversationId, 'messages', { before: beforeSeq }] as const,
};

/**
 * Loads the page of messages before `beforeSeq` and stores it on the device (kept for offline
 * reading); resolves with whether there is more. The page is the server's until it is stored, so
 * it comes through TanStack Query; once stored, the conversation reads it from the device.
 */
export function useLoadOlderMessages(conversationId: string): (beforeSeq: number) => Promise<boolean> {
  const queryClient = useQueryClient();
  const localWrites = useLocalWrites();
  return async (beforeSeq) => {
    if (!localWrites) throw new Error('The device database is closed');
    const page = await queryClient.fetchQuery({
      queryKey: messageKeys.olderThan(conversationId, beforeSeq),
      queryFn: ({ signal }) =>
        apiRequest(`/api/conversations/${encodeURIComponent(conversationId)}/messages?${new URLSearchParams({ before: String(beforeSeq) })}`, {
          schema: MessagesPage,
          signal,
        }),
      // One try, at once even offline: the screen offers "try again" itself.
      retry: false,
      networkMode: 'always',
      // Once stored, the device holds the page: the cache need not.
      gcTime: 0,
    });
    await localWrites.storeMessages(page.messages);
    return page.hasMore;
  };
}

/**
 * Loads older pages, from before `beforeSeq`, until one holds message `id` (each page stored on
 * the device like any older page); resolves with whether it was found. A quote of a message older
 * than anything loaded yet lands here.
 */
export function useFindOlderMessage(conversationId: string): (id: string, beforeSeq: number) => Promise<boolean> {
  const localWrites = useLocalWrites();
  return async (id, beforeSeq) => {
    if (!localWrites) throw new Error('The device database is closed');
    let before = beforeSeq;
    // A bound on the walk: 200 pages of 200 are 40,000 messages.
    for (let page = 0; page < 200 && before > 1; page++) {
      const older = await apiRequest(
        `/api/conversations/${encodeURIComponent(conversationId)}/messages?${new URLSearchParams({ before: String(before), limit: '200' })}`,
        { schema: MessagesPage },
      );
      await localWrites.storeMessages(older.messages);
      if (older.messages.some((message) => message.id === id)) return true;
      if (!older.hasMore || older.messages.length === 0) return false;
      before = older.messages[0]!.seq;
    }
    return false;
  };
}
