import { useMemo } from 'react';
import { messageVersion, type Activity, type Message } from '../../protocol';
import type { RallyLocalDb } from '../../device-db/local-db';
import { useLocalSession } from './local-session';
import { writeChanges } from '../../device-db/write-changes';

/**
 * The writes a screen may make to the device's database other than through the outbox: the
 * server's own copies, stored by the same rule as a pulled page (only if newer than what is here).
 */
export interface LocalWrites {
  /** The server's copy of an activity, as a conflict answer brought it. */
  storeActivity(activity: Activity): Promise<void>;
  /** Messages fetched from the server (older pages of a conversation), kept for offline reading. */
  storeMessages(messages: readonly Message[]): Promise<void>;
  /**
   * Opens a direct conversation unless the device already holds it: `open` queues the
   * `conversation.open` mutation (whose optimistic row may lack the peer's name, when the person
   * is known only from search), then the participants get their names.
   */
  ensureDirectConversation(id: string, participants: { userId: string; displayName: string }[], open: () => Promise<unknown>): Promise<void>;
}

export function localWritesTo(db: RallyLocalDb): LocalWrites {
  return {
    async storeActivity(activity) {
      await writeChanges(db, [{ entity: 'activity', op: 'upsert', id: activity.id, version: activity.version, data: activity }]);
    },
    async storeMessages(messages) {
      await writeChanges(
        db,
        messages.map((message) => ({ entity: 'message' as const, op: 'upsert' as const, id: message.id, version: messageVersion(message), data: message })),
      );
    },
    async ensureDirectConversation(id, participants, open) {
      if (await db.conversations.get(id)) return;
      await open();
      await db.conversations.update(id, { participants });
    },
  };
}

/** Null until the user's database is open. */
export function useLocalWrites(): LocalWrites | null {
  const db = useLocalSession()?.db;
  return useMemo(() => (db ? localWritesTo(db) : null), [db]);
}
