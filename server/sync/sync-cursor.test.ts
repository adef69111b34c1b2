import { describe, expect, it } from 'vitest';
import { AppError } from '../http/app-error';
import { AFTER_ALL_KINDS, decodeSyncCursor, deliveredPosition, encodeSyncCursor, syncCursorKey, type SyncCursor } from './sync-cursor';

const current = { epoch: 'epoch-1', seq: 100 };
const key = syncCursorKey(new TextEncoder().encode('a test secret of more than thirty-two characters'));
const encode = (cursor: SyncCursor) => encodeSyncCursor(cursor, key);

function refusal(raw: string, against = current): AppError {
  try {
    decodeSyncCursor(raw, key, against);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('cursor was accepted');
}

describe('sync cursor', () => {
  it('round-trips both phases', () => {
    const cursors: SyncCursor[] = [
      { phase: 'snapshot', epoch: 'epoch-1', upTo: 42, kind: 1, afterId: 'a:b' },
      { phase: 'log', epoch: 'epoch-1', seq: 99, kind: AFTER_ALL_KINDS, afterId: '' },
    ];
    for (const cursor of cursors) expect(decodeSyncCursor(encode(cursor), key, current)).toEqual(cursor);
  });

  it('reads a cursor issued before the push kinds, whose "after all kinds" was 9, as after all kinds', () => {
    const legacy = decodeSyncCursor(encode({ phase: 'log', epoch: 'epoch-1', seq: 99, kind: 9, afterId: '' }), key, current);
    expect(legacy).toMatchObject({ phase: 'log', seq: 99, kind: AFTER_ALL_KINDS });
    expect(deliveredPosition(legacy)).toBe(99);
  });

  it('refuses garbage with 400 invalid_cursor', () => {
    for (const raw of ['garbage', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('["l","e",-1,0,""]').toString('base64url')]) {
      const error = refusal(raw);
      expect(error.code).toBe('invalid_cursor');
      expect(error.status).toBe(400);
    }
  });

  it('refuses a cursor ahead of the server', () => {
    const ahead = encode({ phase: 'log', epoch: 'epoch-1', seq: 101, kind: 9, afterId: '' });
    expect(refusal(ahead).code).toBe('invalid_cursor');
  });

  it('tells a cursor from another database to start over with 410', () => {
    const foreign = encode({ phase: 'log', epoch: 'epoch-0', seq: 5, kind: 9, afterId: '' });
    const error = refusal(foreign);
    expect(error.code).toBe('cursor_expired');
    expect(error.status).toBe(410);
    expect(error.message).toMatch(/full sync/);
  });

  it('reports how far a cursor has delivered', () => {
    expect(deliveredPosition({ phase: 'snapshot', epoch: 'e', upTo: 50, kind: 2, afterId: 'x' })).toBe(0);
    expect(deliveredPosition({ phase: 'log', epoch: 'e', seq: 50, kind: AFTER_ALL_KINDS, afterId: '' })).toBe(50);
    // Part-way through the changes at 50: only 49 is complete.
    expect(deliveredPosition({ phase: 'log', epoch: 'e', seq: 50, kind: 1, afterId: 'a:b' })).toBe(49);
  });

  it('refuses with 410 a cursor that would need tombstones already pruned', () => {
    const pruned = { ...current, prunedBelow: 51 };
    const log = (seq: number, kind: number): string => encode({ phase: 'log', epoch: 'epoch-1', seq, kind, afterId: '' });
    // Delivered up to 50: it needs positions from 51 on, all kept.
    expect(decodeSyncCursor(log(50, 9), key, pruned).phase).toBe('log');
    expect(decodeSyncCursor(log(51, 0), key, pruned).phase).toBe('log');
    // Delivered up to 49: position 50's tombstones are gone.
    for (const raw of [log(50, 0), log(49, 9), encode({ phase: 'snapshot', epoch: 'epoch-1', upTo: 49, kind: 0, afterId: '' })]) {
      const error = refusal(raw, pruned);
      expect(error.code).toBe('cursor_expired');
      expect(error.status).toBe(410);
    }
    expect(decodeSyncCursor(encode({ phase: 'snapshot', epoch: 'epoch-1', upTo: 50, kind: 0, afterId: '' }), key, pruned).phase).toBe('snapshot');
  });

  it('refuses a cursor the server did not sign: hand-made, altered, or signed with another key', () => {
    const genuine = encode({ phase: 'log', epoch: 'epoch-1', seq: 99, kind: 9, afterId: '' });
    const [payload] = genuine.split('.');
    const atZero = Buffer.from(JSON.stringify(['l', 'epoch-1', 0, 0, ''])).toString('base64url');
    const otherKey = syncCursorKey(new TextEncoder().encode('another secret, also more than thirty-two characters'));
    for (const raw of [
      atZero,
      `${atZero}.${genuine.split('.')[1]}`,
      `${payload}.`,
      `${payload}.${genuine.split('.')[1]}.x`,
      encodeSyncCursor({ phase: 'log', epoch: 'epoch-1', seq: 0, kind: 0, afterId: '' }, otherKey),
    ]) {
      const error = refusal(raw);
      expect(error.code).toBe('invalid_cursor');
      expect(error.status).toBe(400);
    }
    expect(decodeSyncCursor(genuine, key, current).phase).toBe('log');
  });
});
