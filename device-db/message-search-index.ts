import type { DBCore, Middleware } from 'dexie';
import { searchTermsOf } from './search-terms';

/**
 * The message search index: every message row carries `terms`, the distinct words of its body
 * (search-terms.ts), under the multiEntry index `*terms` of the messages table (local-db.ts,
 * version 9). IndexedDB keeps that index in step with the rows, so the index is exactly as
 * correct as the rows are:
 * - a message stored, replaced by the server's copy, or edited: its row is put again, and
 *   `indexMessageText` gives the new body's terms (the middleware below does it on every put);
 * - a message deleted (one, a conversation's, or all at a full resync): its index entries go with
 *   the row; a row kept as a tombstone with an empty body has no terms left.
 * It lives in the user's own database, so it is deleted with it at sign-out.
 */

/** The message as stored for search: its body's terms beside it. Pure; the row passed in is not changed. */
export function indexMessageText<M extends { body: string }>(message: M): M & { terms: string[] } {
  return { ...message, terms: searchTermsOf(message.body) };
}

/**
 * A DBCore middleware that indexes every message put into the messages table, whoever writes it
 * (a pull, a live event, the outbox's own send, its settlement or rollback, the service worker,
 * an edit through `update` or `modify`, which reach DBCore as puts of whole rows). No writer has
 * to remember to call anything, and none can put a row whose terms say another text.
 */
export const messageSearchIndex: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'message-search-index',
  create: (core) => ({
    ...core,
    table(name) {
      const table = core.table(name);
      if (name !== 'messages') return table;
      return {
        ...table,
        mutate(request) {
          if (request.type !== 'put' && request.type !== 'add') return table.mutate(request);
          return table.mutate({ ...request, values: request.values.map((row: { body?: unknown }) => (typeof row.body === 'string' ? indexMessageText(row as { body: string }) : row)) });
        },
      };
    },
  }),
};
