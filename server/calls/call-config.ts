import { z } from 'zod';
import { CALL_REJOIN_HOLD_MS, CALL_RING_TIMEOUT_MS } from '../../protocol';

/** Call settings, parsed with the rest of the environment in server/config.ts. */
export const CallEnvSchema = {
  /** Comma-separated STUN/TURN URLs handed to pages (`stun:…`, `turn:host:3478?transport=udp`). */
  ICE_SERVERS: z.string().default(''),
  /** coturn's `static-auth-secret`: TURN URLs get short-lived credentials made from it. */
  TURN_SECRET: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  TURN_CREDENTIAL_TTL_SECONDS: z.coerce.number().int().min(60).default(3_600),
  /** `relay`: pages use TURN only (their own addresses never reach the other side). */
  CALL_ICE_TRANSPORT_POLICY: z.enum(['all', 'relay']).default('all'),
  /** `true` in tests: pages send only loopback candidates, so media never leaves the machine. */
  CALL_LOOPBACK_ONLY: z.enum(['true', 'false']).default('false'),
  CALL_RING_TIMEOUT_MS: z.coerce.number().int().min(100).default(CALL_RING_TIMEOUT_MS),
  CALL_REJOIN_HOLD_MS: z.coerce.number().int().min(100).default(CALL_REJOIN_HOLD_MS),
};

type CallEnv = z.infer<ReturnType<typeof z.object<typeof CallEnvSchema>>>;

export interface CallSettings {
  iceServerUrls: string[];
  turnSecret: string | undefined;
  turnCredentialTtlSeconds: number;
  iceTransportPolicy: 'all' | 'relay';
  loopbackOnly: boolean;
  ringTimeoutMs: number;
  rejoinHoldMs: number;
}

export function callSettingsOf(env: CallEnv): CallSettings {
  const urls = env.ICE_SERVERS.split(',').map((url) => url.trim()).filter(Boolean);
  const bad = urls.find((url) => !/^(stun|stuns|turn|turns):/.test(url));
  if (bad) throw new Error(`Invalid configuration: ICE_SERVERS: ${bad} is not a stun:, stuns:, turn: or turns: URL`);
  if (env.CALL_ICE_TRANSPORT_POLICY === 'relay' && !urls.some((url) => url.startsWith('turn'))) {
    throw new Error('Invalid configuration: CALL_ICE_TRANSPORT_POLICY=relay needs a turn: URL in ICE_SERVERS');
  }
  return {
    iceServerUrls: urls,
    turnSecret: env.TURN_SECRET,
    turnCredentialTtlSeconds: env.TURN_CREDENTIAL_TTL_SECONDS,
    iceTransportPolicy: env.CALL_ICE_TRANSPORT_POLICY,
    loopbackOnly: env.CALL_LOOPBACK_ONLY === 'true',
    ringTimeoutMs: env.CALL_RING_TIMEOUT_MS,
    rejoinHoldMs: env.CALL_REJOIN_HOLD_MS,
  };
}
