import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Change } from '../../protocol';
import { AppError } from '../http/app-error';

/**
 * Where a client stands in its sync. Opaque to the page.
 *
 * - `snapshot`: a first sync, walking the current state in key order (no sorting of everything
 *   by position); `upTo` is the position the walk began at, `kind`/`afterId` how far it got.
 * - `log`: everything up to (`seq`, `kind`, `afterId`) is delivered; the next pull takes changes
 *   after it, ordered by position. Changes that share a position (one transaction, or a grant that
 *   reveals a whole activity) are ordered by kind and id, so a page may end in the middle of them.
 *
 * `epoch` names the database the cursor belongs to: a cursor from another one must start over.
 *
 * A cursor is signed (HMAC-SHA256 with a key of the server's own): a position is the server's
 * word, never the client's, so a hand-made cursor (say, the log at position 0, to make the server
 * walk the whole history) is refused.
 */
export type SyncCursor =
  | { phase: 'snapshot'; epoch: string; upTo: number; kind: number; afterId: string }
  | { phase: 'log'; epoch: string; seq: number; kind: number; afterId: string };

/** What one read of the feed answers: changes, the cursor after them, and whether more wait. */
export interface SyncPage {
  changes: Change[];
  cursor: SyncCursor;
  hasMore: boolean;
}

/**
 * Kinds in delivery order within one position. 8 and 9 are skipped: 9 was AFTER_ALL_KINDS in
 * cursors issued before the push kinds (protocol 5), and still means it when such a cursor comes back.
 */
export const KIND = {
  activity: 0,
  member: 1,
  like: 2,
  checkin: 3,
  tombstone: 4,
  conversation: 5,
  message: 6,
  receipt: 7,
  notification: 10,
  userSettings: 11,
  conversationSettings: 12,
  hiddenMessage: 13,
  removal: 14,
  // 16, not 15: kinds were numbered as issue 15's changes were made side by side; gaps are harmless.
  blockedUser: 16,
} as const;
const LAST_KIND = KIND.blockedUser;
/** A log cursor at (seq, AFTER_ALL_KINDS, '') means everything at `seq` is delivered. */
export const AFTER_ALL_KINDS = 99;
const LEGACY_AFTER_ALL_KINDS = 9;

const Encoded = z.union([
  z.tuple([z.literal('s'), z.string().max(64), z.number().int().min(0), z.number().int().min(0).max(LAST_KIND), z.string().max(80)]),
  z.tuple([z.literal('l'), z.string().max(64), z.number().int().min(0), z.number().int().min(0).max(AFTER_ALL_KINDS), z.string().max(120)]),
]);

/** The position everything up to which a client holding this cursor has been sent. */
export function deliveredPosition(cursor: SyncCursor): number {
  if (cursor.phase === 'snapshot') return 0;
  return cursor.kind === AFTER_ALL_KINDS ? cursor.seq : cursor.seq - 1;
}

/** The cursor signing key, derived from the server's secret (every process of one Rally shares it). */
export function syncCursorKey(secret: Uint8Array): Buffer {
  return createHmac('sha256', secret).update('rally sync cursor v1').digest();
}

const signatureOf = (payload: string, key: Uint8Array) => createHmac('sha256', key).update(payload).digest();

export function encodeSyncCursor(cursor: SyncCursor, key: Uint8Array): string {
  const tuple =
    cursor.phase === 'snapshot'
      ? ['s', cursor.epoch, cursor.upTo, cursor.kind, cursor.afterId]
      : ['l', cursor.epoch, cursor.seq, cursor.kind, cursor.afterId];
  const payload = Buffer.from(JSON.stringify(tuple)).toString('base64url');
  return `${payload}.${signatureOf(payload, key).toString('base64url')}`;
}

function isSignedBy(raw: string, key: Uint8Array): string | null {
  const [payload, signature, extra] = raw.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = signatureOf(payload, key);
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? payload : null;
}

const startOver = 'Start over with a full sync (no cursor)';

/**
 * Parses a cursor and checks it against this database; a bad one is a clear 400/410.
 * `prunedBelow`: tombstones at positions below it are gone (history-pruning.ts), so a cursor that
 * still needs one of them would miss a removal: it must start over (410).
 */
export function decodeSyncCursor(raw: string, key: Uint8Array, current: { epoch: string; seq: number; prunedBelow?: number }): SyncCursor {
  let tuple: z.infer<typeof Encoded>;
  try {
    const payload = isSignedBy(raw, key);
    if (payload === null) throw new Error('not signed by this server');
    tuple = Encoded.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('invalid_cursor', `This sync cursor is not one Rally issued. ${startOver}.`, {
      fields: { cursor: 'is not a valid sync cursor' },
    });
  }
  const [tag, epoch, position, encodedKind, afterId] = tuple;
  const kind = tag === 'l' && encodedKind === LEGACY_AFTER_ALL_KINDS ? AFTER_ALL_KINDS : encodedKind;
  if (epoch !== current.epoch) {
    throw new AppError('cursor_expired', `This sync cursor belongs to another database. ${startOver}.`);
  }
  if (position > current.seq) {
    throw new AppError('invalid_cursor', `This sync cursor is ahead of the server. ${startOver}.`, {
      fields: { cursor: 'is ahead of the server' },
    });
  }
  const cursor: SyncCursor =
    tag === 's' ? { phase: 'snapshot', epoch, upTo: position, kind, afterId } : { phase: 'log', epoch, seq: position, kind, afterId };
  // A snapshot's log starts after `upTo`; a log cursor's after what it delivered.
  const needsAfter = cursor.phase === 'snapshot' ? cursor.upTo : deliveredPosition(cursor);
  if (current.prunedBelow !== undefined && needsAfter < current.prunedBelow - 1) {
    throw new AppError('cursor_expired', `This sync cursor is older than the history Rally keeps. ${startOver}.`);
  }
  return cursor;
}
