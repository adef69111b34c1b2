import { useEffect, useMemo, useState } from 'react';
import type { RallyLocalDb } from '../../device-db/local-db';
import { useLocalSession } from './local-session';

export interface Draft {
  /** The kept text; undefined while it is being read. */
  initial: string | undefined;
  /** Keeps `body` (an empty one removes the draft). Every keystroke: a reload right after loses nothing. */
  save(body: string): void;
}

function saveDraft(db: RallyLocalDb, conversationId: string, body: string): Promise<unknown> {
  return body.trim() === '' ? db.drafts.delete(conversationId) : db.drafts.put({ conversationId, body, updatedAt: new Date().toISOString() });
}

/**
 * The unsent message of a conversation, read once when the conversation opens (not live: text
 * arriving while someone types would fight them). Writes are ordered by IndexedDB, so the last
 * keystroke's is the one kept.
 */
export function useDraft(conversationId: string): Draft {
  const db = useLocalSession()?.db;
  const [initial, setInitial] = useState<{ conversationId: string; body: string } | undefined>(undefined);
  useEffect(() => {
    if (!db) return;
    let current = true;
    void db.drafts
      .get(conversationId)
      .then((draft) => current && setInitial({ conversationId, body: draft?.body ?? '' }))
      .catch(() => current && setInitial({ conversationId, body: '' }));
    return () => {
      current = false;
    };
  }, [db, conversationId]);
  return useMemo(
    () => ({
      initial: initial?.conversationId === conversationId ? initial.body : undefined,
      save: (body: string) => void (db ? saveDraft(db, conversationId, body).catch(() => undefined) : undefined),
    }),
    [db, conversationId, initial],
  );
}
