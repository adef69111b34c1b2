import { useLiveQuery } from 'dexie-react-hooks';
import { useSyncExternalStore } from 'react';
import { useOptionalLocalData } from '../data/local-data';
import type { OutboxEntry } from '../data/local-db';
import type { MutationClient } from './mutation-client';

/** Live reads of the outbox for the header, the badges and the outbox screen. */

export function usePendingCount(): number {
  const local = useOptionalLocalData();
  return useLiveQuery(() => (local ? local.db.outbox.where('status').equals('pending').count() : 0), [local]) ?? 0;
}

/** Changes this device has not got onto the server: waiting, or failed and waiting for a retry. */
export function useUnsentCount(): number {
  const local = useOptionalLocalData();
  return useLiveQuery(() => (local ? local.db.outbox.count() : 0), [local]) ?? 0;
}

export function useOutboxEntries(): OutboxEntry[] | undefined {
  const local = useOptionalLocalData();
  return useLiveQuery(() => (local ? local.db.outbox.toArray() : []), [local]);
}

/** Whether any mutation of this activity still waits for the server. */
export function useIsPending(activityId: string): boolean {
  const local = useOptionalLocalData();
  return (
    useLiveQuery(
      async () =>
        local
          ? (await local.db.outbox.where('status').equals('pending').filter((entry) => entry.mutation.args.id === activityId).count()) > 0
          : false,
      [local, activityId],
    ) ?? false
  );
}

const idle = { subscribe: () => () => undefined, get: () => false };

/** The page or the worker is sending mutations right now. */
export function useIsSyncing(): boolean {
  const local = useOptionalLocalData();
  const client: MutationClient | null = local?.outbox ?? null;
  const sending = useSyncExternalStore(client?.sending.subscribe ?? idle.subscribe, client?.sending.get ?? idle.get);
  const replaying = useSyncExternalStore(client?.worker.subscribe ?? idle.subscribe, () => client?.worker.get().replaying ?? false);
  return sending || replaying;
}
