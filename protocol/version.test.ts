import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as protocol from './index';
import { isSupportedProtocolVersion, PROTOCOL_VERSION } from './version';

/**
 * The shape of every schema in the contract, per protocol version. When this test fails you
 * changed the wire format: bump PROTOCOL_VERSION and record the new fingerprint under it.
 */
const FINGERPRINTS: Record<number, string> = {
  1: '094a292c1b81',
  2: 'a1662249da19',
  3: '3d9785177fb7',
  4: 'e52fdbca3034',
  5: '58b8c6ddce10',
  6: 'd395360e53fe',
  7: 'd767bf6a76cf',
};

function contractFingerprint(): string {
  const shapes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(protocol).sort(([a], [b]) => a.localeCompare(b))) {
    if (value instanceof z.ZodType) {
      shapes[name] = z.toJSONSchema(value, { unrepresentable: 'any', io: 'input' });
    }
  }
  return createHash('sha256').update(JSON.stringify(shapes)).digest('hex').slice(0, 12);
}

describe('protocol version guard', () => {
  it('bumps PROTOCOL_VERSION whenever a schema changes', () => {
    expect(contractFingerprint(), `fingerprint for protocol ${PROTOCOL_VERSION}`).toBe(FINGERPRINTS[PROTOCOL_VERSION]);
  });

  it('accepts only versions in the supported range', () => {
    expect(isSupportedProtocolVersion(PROTOCOL_VERSION)).toBe(true);
    expect(isSupportedProtocolVersion(PROTOCOL_VERSION + 1)).toBe(false);
    expect(isSupportedProtocolVersion(0)).toBe(false);
    expect(isSupportedProtocolVersion('1')).toBe(false);
  });
});
