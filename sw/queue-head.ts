import { WORKBOX_QUEUE_DB } from './workbox-queue-layout';

/**
 * The head of a background-sync queue, read and removed in one IndexedDB transaction each.
 *
 * Workbox's `Queue.shiftRequest` takes one entry per two transactions (find the first, delete it);
 * a batch of 100 paid 200, 0.5 to 1.6 s here, about three quarters of a drain (measured with
 * bench/replay). These read up to a batch of entries in one read-only transaction and delete the
 * ones the server settled in one more, so an entry also stays queued until it has been answered:
 * a worker killed while a batch is on its way loses nothing (the server answers a resend from its
 * record).
 *
 * They read Workbox 7's own layout (its `QueueDb`): database `workbox-background-sync` version 3,
 * store `requests` (key `id`, ascending = queue order), index `queueName`, entries
 * `{ queueName, requestData: { url, headers, body: ArrayBuffer }, timestamp, metadata }`.
 * tests/server/build/workbox-queue-layout.test.ts checks those names against the installed Workbox, so an
 * upgrade that moves them fails there, not in a user's replay. Opened before Workbox made the
 * database (which a queue with entries has done), the open is abandoned, and the caller falls
 * back to Workbox's own one-by-one API.
 */


export interface HeadEntry {
  /** The entry's key in the store: its place in the queue. */
  id: number;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** When it was queued (ms since the epoch). */
  timestamp: number;
}

interface StoredEntry {
  id: number;
  queueName: string;
  timestamp?: number;
  requestData: { url: string; headers?: Record<string, string>; body?: ArrayBuffer };
}

let opened: Promise<IDBDatabase | null> | null = null;

function database(): Promise<IDBDatabase | null> {
  opened ??= new Promise<IDBDatabase | null>((resolve) => {
    const request = indexedDB.open(WORKBOX_QUEUE_DB.name, WORKBOX_QUEUE_DB.version);
    // Not made yet (or an older layout): Workbox's upgrade makes it, never ours.
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onsuccess = () => {
      const db = request.result;
      // Workbox's own connection may upgrade it one day: step aside rather than block that.
      db.onversionchange = () => {
        db.close();
        opened = null;
      };
      resolve(db);
    };
    request.onerror = () => resolve(null);
  }).then((db) => {
    if (db === null) opened = null;
    return db;
  });
  return opened;
}

const done = (transaction: IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('queue transaction failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('queue transaction aborted'));
  });

/**
 * Up to `maxCount` entries from the head of `queueName`, in order, stopping before the one that
 * would take the bodies past `maxBytes` (the first is always taken). Null when the database cannot
 * be read this way (the caller uses Workbox's API).
 */
export async function readQueueHead(queueName: string, maxCount: number, maxBytes: number): Promise<HeadEntry[] | null> {
  const db = await database();
  if (db === null) return null;
  const transaction = db.transaction(WORKBOX_QUEUE_DB.store, 'readonly');
  const entries: HeadEntry[] = [];
  const decoder = new TextDecoder();
  let bytes = 0;
  const cursorRequest = transaction.objectStore(WORKBOX_QUEUE_DB.store).index(WORKBOX_QUEUE_DB.index).openCursor(IDBKeyRange.only(queueName), 'next');
  cursorRequest.onsuccess = () => {
    const cursor = cursorRequest.result;
    if (!cursor) return;
    const stored = cursor.value as StoredEntry;
    const body = stored.requestData.body ? decoder.decode(stored.requestData.body) : '';
    if (entries.length > 0 && bytes + body.length > maxBytes) return;
    entries.push({ id: stored.id, url: stored.requestData.url, headers: stored.requestData.headers ?? {}, body, timestamp: stored.timestamp ?? Date.now() });
    bytes += body.length;
    if (entries.length < maxCount) cursor.continue();
  };
  await done(transaction);
  return entries;
}

/** Removes these entries (settled for good) from the queue, all or none. */
export async function deleteQueueEntries(ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const db = await database();
  if (db === null) throw new Error('the background-sync queue cannot be opened');
  const transaction = db.transaction(WORKBOX_QUEUE_DB.store, 'readwrite');
  const store = transaction.objectStore(WORKBOX_QUEUE_DB.store);
  for (const id of ids) store.delete(id);
  await done(transaction);
}
