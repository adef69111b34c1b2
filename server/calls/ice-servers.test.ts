import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callSettingsOf, CallEnvSchema } from './call-config';
import { iceServersFor, turnCredentials } from './ice-servers';
import { z } from 'zod';

const settings = (env: Record<string, string>) => callSettingsOf(z.object(CallEnvSchema).parse(env));
const userId = '00000000-0000-4000-8000-0000000000a1';
const now = new Date('2026-12-02T10:00:00.000Z');

describe('TURN credentials', () => {
  it("follow coturn's shared-secret scheme", () => {
    // Worked out apart from this code, with openssl:
    // printf '1700000000:alice' | openssl dgst -sha1 -hmac northgate-secret-16 -binary | base64
    expect(turnCredentials('northgate-secret-16', 'alice', 1_700_000_000)).toEqual({
      username: '1700000000:alice',
      credential: 'lnvVLsHLjv+PWVKfvLgbeWf0HKM=',
    });
  });

  it('expire after the configured time, and only TURN URLs carry them', () => {
    const answer = iceServersFor(settings({ ICE_SERVERS: 'stun:127.0.0.1:3478,turn:127.0.0.1:3478', TURN_SECRET: 'northgate-secret-16', TURN_CREDENTIAL_TTL_SECONDS: '600' }), userId, now);
    const expiry = now.getTime() / 1000 + 600;
    expect(answer).toEqual({
      iceServers: [
        { urls: ['stun:127.0.0.1:3478'] },
        { urls: ['turn:127.0.0.1:3478'], username: `${expiry}:${userId}`, credential: createHmac('sha1', 'northgate-secret-16').update(`${expiry}:${userId}`).digest('base64') },
      ],
      iceTransportPolicy: 'all',
      loopbackOnly: false,
      expiresAt: '2026-12-02T10:10:00.000Z',
    });
  });

  it('leaves TURN out without a secret (coturn would refuse it)', () => {
    expect(iceServersFor(settings({ ICE_SERVERS: 'turn:127.0.0.1:3478' }), userId, now).iceServers).toEqual([]);
  });

  it.each([
    [{ ICE_SERVERS: 'http://example.com' }, /not a stun:/],
    [{ ICE_SERVERS: 'stun:127.0.0.1', CALL_ICE_TRANSPORT_POLICY: 'relay' }, /needs a turn: URL/],
  ])('refuses the settings %j', (env, message) => {
    expect(() => settings(env)).toThrow(message);
  });
});
