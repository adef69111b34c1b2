import type { Page } from '@playwright/test';
import { PROTOCOL_VERSION, PROTOCOL_VERSION_HEADER, type Change } from '../../protocol';

/**
 * Reads the page's own IndexedDB database directly (not through the app), as canonical strings
 * `entity/id@json` comparable with the server's truth.
 */
export async function readLocalRows(page: Page, userId: string): Promise<string[]> {
  return page.evaluate(async (name) => {
    const known = await indexedDB.databases();
    if (!known.some((db) => db.name === name)) return [];
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const readAll = (store: string) =>
      new Promise<Record<string, unknown>[]>((resolve, reject) => {
        if (!db.objectStoreNames.contains(store)) return resolve([]);
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as Record<string, unknown>[]);
        request.onerror = () => reject(request.error);
      });
    const [activities, members, likes, checkins, conversations, messages, receipts] = await Promise.all(
      ['activities', 'members', 'likes', 'checkins', 'conversations', 'messages', 'receipts'].map(readAll),
    ) as Record<string, unknown>[][] as [Record<string, unknown>[], Record<string, unknown>[], Record<string, unknown>[], Record<string, unknown>[], Record<string, unknown>[], Record<string, unknown>[], Record<string, unknown>[]];
    db.close();
    const rows: string[] = [];
    for (const { searchText: _s, ...activity } of activities) rows.push(`activity/${String(activity.id)}@${JSON.stringify(activity)}`);
    for (const m of members) {
      rows.push(`member/${String(m.activityId)}:${String(m.userId)}@${JSON.stringify({ activityId: m.activityId, userId: m.userId, displayName: m.displayName, role: m.role, joinedAt: m.joinedAt })}`);
    }
    for (const l of likes) {
      rows.push(`like/${String(l.activityId)}:${String(l.userId)}@${JSON.stringify({ activityId: l.activityId, userId: l.userId, createdAt: l.createdAt })}`);
    }
    for (const k of checkins) {
      rows.push(`checkin/${String(k.activityId)}:${String(k.userId)}@${JSON.stringify({ activityId: k.activityId, userId: k.userId, checkedInAt: k.checkedInAt })}`);
    }
    for (const { version: _v, ...conversation } of conversations) rows.push(`conversation/${String(conversation.id)}@${JSON.stringify(conversation)}`);
    // Messages still waiting to be sent (seq 0) are the device's own, not yet the server's.
    // Not compared: the row's version (the server's is in the change, not the data) and its search terms (the device's own index).
    for (const { version: _v, terms: _t, ...message } of messages) if (Number(message.seq) > 0) rows.push(`message/${String(message.id)}@${JSON.stringify(message)}`);
    for (const r of receipts) {
      rows.push(`receipt/${String(r.conversationId)}:${String(r.userId)}@${JSON.stringify({ conversationId: r.conversationId, userId: r.userId, deliveredSeq: r.deliveredSeq, readSeq: r.readSeq })}`);
    }
    return rows.sort();
  }, `rally-user-${userId}`);
}

/** The entities `readLocalRows` reads: the user's own rows (notifications, settings, blocks…) are compared elsewhere. */
const SHARED_ENTITIES = new Set<string>(['activity', 'member', 'like', 'checkin', 'conversation', 'message', 'receipt']);

/**
 * The same canonical strings for what a full sync from the server delivers now, to a page of this
 * protocol: without the header the server answers as to a protocol-4 page, which knows no co-host,
 * edit or reaction, and the device's rows would look wrong where they are right.
 */
export async function serverTruth(baseUrl: string, token: string): Promise<string[]> {
  const rows = new Map<string, string>();
  let cursor: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: '5000', ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${baseUrl}/api/sync?${query}`, { headers: { authorization: `Bearer ${token}`, [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION) } });
    if (!response.ok) throw new Error(`sync ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { changes: Change[]; cursor: string; hasMore: boolean };
    for (const change of body.changes) {
      if (change.op !== 'upsert' || !SHARED_ENTITIES.has(change.entity)) continue;
      // A changed message names its version in its data too; the device keeps it beside the row.
      const data = change.entity === 'message' ? (({ version: _v, ...message }) => message)(change.data) : change.data;
      rows.set(`${change.entity}/${change.id}`, JSON.stringify(data));
    }
    cursor = body.cursor;
    if (!body.hasMore) break;
  }
  return [...rows.entries()].map(([key, json]) => `${key}@${json}`).sort();
}

/** Keys only: `entity/id`. */
export const keysOf = (rows: string[]) => rows.map((row) => row.slice(0, row.indexOf('@')));

/** This device's mutation sender for the user: its client id and the last mutation id it handed out. */
export async function readClientState(page: Page, userId: string): Promise<{ clientId: string; lastMutationId: number } | null> {
  return page.evaluate(async (name) => {
    if (!(await indexedDB.databases()).some((db) => db.name === name)) return null;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      if (!db.objectStoreNames.contains('clientState')) return null;
      const row = await new Promise<{ clientId: string; lastMutationId: number } | undefined>((resolve, reject) => {
        const request = db.transaction('clientState').objectStore('clientState').get('client');
        request.onsuccess = () => resolve(request.result as { clientId: string; lastMutationId: number } | undefined);
        request.onerror = () => reject(request.error);
      });
      return row ? { clientId: row.clientId, lastMutationId: row.lastMutationId } : null;
    } finally {
      db.close();
    }
  }, `rally-user-${userId}`);
}

/** What waits in (or failed out of) this device's outbox, read from its IndexedDB. */
export async function readOutbox(
  page: Page,
  userId: string,
): Promise<{ clientId: string; mutationId: number; name: string; status: 'pending' | 'failed'; error: { code: string; message: string } | null; queuedInWorker: boolean }[]> {
  return page.evaluate(async (name) => {
    if (!(await indexedDB.databases()).some((db) => db.name === name)) return [];
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      if (!db.objectStoreNames.contains('outbox')) return [];
      const entries = await new Promise<{ mutation: { clientId: string; name: string }; mutationId: number; status: 'pending' | 'failed'; error: { code: string; message: string } | null; queuedInWorker?: boolean }[]>(
        (resolve, reject) => {
          const request = db.transaction('outbox').objectStore('outbox').getAll();
          request.onsuccess = () => resolve(request.result as never);
          request.onerror = () => reject(request.error);
        },
      );
      return entries.map((e) => ({ clientId: e.mutation.clientId, mutationId: e.mutationId, name: e.mutation.name, status: e.status, error: e.error, queuedInWorker: e.queuedInWorker === true }));
    } finally {
      db.close();
    }
  }, `rally-user-${userId}`);
}
