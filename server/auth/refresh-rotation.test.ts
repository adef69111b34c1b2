import { describe, expect, it } from 'vitest';
import { judgeRefresh, REFRESH_REPEAT_GRACE_MS } from './refresh-rotation';

const now = new Date('2030-01-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();
const live = { expiresAt: at(86_400_000), rotatedAt: null, revokedAt: null };
const rotated = (msAgo: number) => ({ ...live, rotatedAt: at(-msAgo) });

describe('judgeRefresh', () => {
  it.each([
    ['an unknown token signs out', undefined, undefined, 'signed_out'],
    ['a revoked token signs out', { ...live, revokedAt: at(-1) }, undefined, 'signed_out'],
    ['an expired token signs out', { ...live, expiresAt: at(-1) }, undefined, 'signed_out'],
    ['a live unused token rotates', live, undefined, 'rotate'],
    ['a token rotated 1 s ago with its successor unused repeats', rotated(1_000), live, 'repeat'],
    ['a token rotated exactly at the window edge repeats', rotated(REFRESH_REPEAT_GRACE_MS), live, 'repeat'],
    ['a token rotated 15 s ago is reuse', rotated(15_000), live, 'reused'],
    ['a token rotated 1 s ago whose successor was used is reuse', rotated(1_000), rotated(500), 'reused'],
    ['a token rotated 1 s ago with no successor is reuse', rotated(1_000), undefined, 'reused'],
    ['a token rotated 1 s ago whose successor was revoked is reuse', rotated(1_000), { ...live, revokedAt: at(-1) }, 'reused'],
  ] as const)('%s', (_name, presented, successor, decision) => {
    expect(judgeRefresh(presented, successor, now)).toBe(decision);
  });
});
