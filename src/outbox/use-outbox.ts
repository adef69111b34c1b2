import { useLiveQuery } from '../data/live-query';
import { activityIdOf } from './outbox-rules';
import { useSyncExternalStore } from 'react';
import { useLocalSession } from '../data/local-session';
import type { OutboxEntry } from '../../device-db/local-db';
import type { MutationClient } from './mutation-client';
import { useOutboxClient } from './outbox-context';

/** Live reads of the outbox for the header, the badges and the outbox screen. */

export function usePendingCount(): number {
  const local = useLocalSession();
  return useLiveQuery(() => (local ? local.db.outbox.where('status').equals('pending').count() : 0), [local]) ?? 0;
}

/** Changes this device has not got onto the server: waiting, or failed and waiting for a retry. */
export function useUnsentCount(): number {
  const local = useLocalSession();
  return useLiveQuery(() => (local ? local.db.outbox.count() : 0), [local]) ?? 0;
}

export function useOutboxEntries(): OutboxEntry[] | undefined {
  const local = useLocalSession();
  return useLiveQuery(() => (local ? local.db.outbox.toArray() : []), [local]);
}

/** Changes the server refused or that ran out of tries, oldest first. */
export function useFailedEntries(): OutboxEntry[] | undefined {
  const local = useLocalSession();
  return useLiveQuery(() => (local ? local.db.outbox.where('status').equals('failed').toArray() : []), [local]);
}

/** Messages of this conversation that could not be sent. */
export function useFailedMessages(conversationId: string): OutboxEntry[] {
  const local = useLocalSession();
  return useLiveQuery(
    () =>
      local
        ? local.db.outbox
            .where('status')
            .equals('failed')
            .filter((entry) => entry.mutation.name === 'message.send' && entry.mutation.args.conversationId === conversationId)
            .toArray()
        : [],
    [local, conversationId],
    [] as OutboxEntry[],
  );
}

/** Why opening this direct conversation was refused (someone blocked someone), if it was. */
export function useRefusedOpen(conversationId: string): OutboxEntry['error'] {
  const local = useLocalSession();
  return useLiveQuery(
    async () => {
      if (!local) return null;
      const refused = await local.db.outbox
        .where('status')
        .equals('failed')
        .filter((entry) => entry.mutation.name === 'conversation.open' && entry.mutation.args.id === conversationId && entry.error !== null)
        .last();
      return refused?.error ?? null;
    },
    [local, conversationId],
    null,
  );
}

/**
 * The activities with a mutation that still waits for the server: one read for a whole list of
 * cards, where a read per card opened thirty transactions and thirty subscriptions on a first paint.
 */
export function usePendingActivityIds(): ReadonlySet<string> {
  const local = useLocalSession();
  return useLiveQuery(
    async () => {
      const pending = local ? await local.db.outbox.where('status').equals('pending').toArray() : [];
      return new Set(pending.map((entry) => activityIdOf(entry.mutation)).filter((id): id is string => id !== null));
    },
    [local],
    noActivityIds,
  );
}

const noActivityIds: ReadonlySet<string> = new Set();

/** Whether any mutation of this activity still waits for the server. */
export function useIsPending(activityId: string): boolean {
  const local = useLocalSession();
  return (
    useLiveQuery(
      async () =>
        local
          ? (await local.db.outbox.where('status').equals('pending').filter((entry) => activityIdOf(entry.mutation) === activityId).count()) > 0
          : false,
      [local, activityId],
    ) ?? false
  );
}

const idle = { subscribe: () => () => undefined, get: () => false };

/** The page or the worker is sending mutations right now. */
export function useIsSyncing(): boolean {
  const client: MutationClient | null = useOutboxClient();
  const sending = useSyncExternalStore(client?.sending.subscribe ?? idle.subscribe, client?.sending.get ?? idle.get);
  const replaying = useSyncExternalStore(client?.worker.subscribe ?? idle.subscribe, () => client?.worker.get().replaying ?? false);
  return sending || replaying;
}
