import { describe, expect, it } from 'vitest';
import { fastifyTrustProxy, parseTrustProxy } from './trust-proxy';

describe('parseTrustProxy', () => {
  it.each([
    [undefined, { kind: 'none' }],
    ['', { kind: 'none' }],
    ['false', { kind: 'none' }],
    ['1', { kind: 'hops', hops: 1 }],
    ['2', { kind: 'hops', hops: 2 }],
    ['127.0.0.1', { kind: 'addresses', addresses: ['127.0.0.1'] }],
    ['10.0.0.0/8, ::1, fd00::/8', { kind: 'addresses', addresses: ['10.0.0.0/8', '::1', 'fd00::/8'] }],
    ['loopback,uniquelocal', { kind: 'addresses', addresses: ['loopback', 'uniquelocal'] }],
  ])('%s → %j', (value, expected) => {
    expect(parseTrustProxy(value)).toEqual(expected);
  });

  it.each(['true', 'TRUE', 'yes', 'on', '0', '1.5', '-1', 'proxy.internal', '10.0.0.0/33', '::1/129', '10.0.0.1/8/8', '10.0.0.1,,10.0.0.2'])(
    'refuses %s with a reason',
    (value) => {
      expect(typeof parseTrustProxy(value)).toBe('string');
    },
  );
});

describe('fastifyTrustProxy', () => {
  it('trusts exactly the given number of hops', () => {
    const trust = fastifyTrustProxy({ kind: 'hops', hops: 2 });
    if (typeof trust !== 'function') throw new Error('expected a trust function');
    expect([0, 1, 2, 3].map((hop) => trust('203.0.113.1', hop))).toEqual([true, true, false, false]);
  });

  it('passes addresses through and trusts nothing when unset', () => {
    expect(fastifyTrustProxy({ kind: 'addresses', addresses: ['127.0.0.1'] })).toEqual(['127.0.0.1']);
    expect(fastifyTrustProxy({ kind: 'none' })).toBe(false);
  });
});
