import type { LocalMessage, RallyLocalDb } from './local-db';
import { isEmptyQuery, type SearchQuery } from './search-terms';

/** Hits read in full when there are this few; more are ordered by walking the time index. */
const READ_ALL_BELOW = 200;

export interface MessageSearchAnswer {
  /** The newest matching messages, newest first, at most `limit`. */
  messages: LocalMessage[];
  /** How many messages on the device match. */
  total: number;
}

/**
 * Every message on the device whose terms include each of the query's whole terms and one that
 * starts with its prefix. Each term is one keys-only read of the `*terms` index (IndexedDB's
 * getAllKeys: ids, no rows), and the id lists are intersected smallest first. Only the answer's
 * rows are read: a few hits are read and sorted, many are ordered by the ids of the newest
 * messages (`newestAmong`).
 */
export async function searchMessages(db: RallyLocalDb, query: SearchQuery, limit = 50): Promise<MessageSearchAnswer> {
  if (isEmptyQuery(query)) return { messages: [], total: 0 };
  return db.transaction('r', db.messages, async () => {
    const lists = await Promise.all([
      ...query.exact.map((term) => db.messages.where('terms').equals(term).primaryKeys()),
      ...(query.prefix === null ? [] : [db.messages.where('terms').startsWith(query.prefix).primaryKeys()]),
    ]);
    const hits = intersectIds(lists);
    if (hits.size <= READ_ALL_BELOW) {
      const rows = (await db.messages.bulkGet([...hits])).filter((row) => row !== undefined);
      return { messages: newestFirst(rows).slice(0, limit), total: hits.size };
    }
    const newest = await newestAmong(db, hits, limit);
    const rows = (await db.messages.bulkGet(newest)).filter((row) => row !== undefined);
    return { messages: rows, total: hits.size };
  });
}

/**
 * The newest `limit` of `hits`, newest first: the ids of the newest messages, read from the
 * `createdAt` index backwards (one getAllKeys each where the browser has IndexedDB 3's direction,
 * Chromium since 141; elsewhere Dexie walks a cursor). The first read is sized by how dense the
 * hits are, with half again as many to spare (a word in one message in four: 300 ids), so one
 * read nearly always does; if not, each next read is 4× larger.
 */
async function newestAmong(db: RallyLocalDb, hits: ReadonlySet<string>, limit: number): Promise<string[]> {
  const total = await db.messages.count();
  for (let read = Math.min(total, Math.ceil((1.5 * limit * total) / hits.size)); ; read *= 4) {
    const ids = await db.messages.orderBy('createdAt').reverse().limit(read).primaryKeys();
    const newest = ids.filter((id) => hits.has(id)).slice(0, limit);
    if (newest.length >= limit || ids.length < read) return newest;
  }
}

/** The ids in every list (a list may name an id more than once: a prefix matches several terms of one message). */
export function intersectIds(lists: readonly (readonly string[])[]): Set<string> {
  const [smallest, ...others] = [...lists].sort((a, b) => a.length - b.length);
  if (!smallest) return new Set();
  const otherSets = others.map((list) => new Set(list));
  const hits = new Set<string>();
  for (const id of smallest) if (otherSets.every((set) => set.has(id))) hits.add(id);
  return hits;
}

/** Newest first by time, then by position (a tie in time is rare; position orders a conversation's messages). */
export function newestFirst<M extends Pick<LocalMessage, 'createdAt' | 'seq'>>(messages: readonly M[]): M[] {
  return [...messages].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.seq - a.seq));
}
