import { describe, expect, it } from 'vitest';
import { createTokenBucket } from './token-bucket';

describe('token bucket', () => {
  it('allows a burst up to its capacity, then refuses with the wait until the next token', () => {
    let now = 0;
    const bucket = createTokenBucket(3, 2, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()].every((r) => r.allowed)).toBe(true);
    expect(bucket.take()).toEqual({ allowed: false, retryAfterMs: 500 });
    now = 250;
    expect(bucket.take()).toEqual({ allowed: false, retryAfterMs: 250 });
    now = 500;
    expect(bucket.take().allowed).toBe(true);
    expect(bucket.take().allowed).toBe(false);
  });

  it('never holds more than its capacity after a long quiet time', () => {
    let now = 0;
    const bucket = createTokenBucket(2, 10, () => now);
    now = 60_000;
    expect(bucket.take().allowed).toBe(true);
    expect(bucket.take().allowed).toBe(true);
    expect(bucket.take().allowed).toBe(false);
  });
});
