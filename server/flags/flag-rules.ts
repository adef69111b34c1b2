import { createHash } from 'node:crypto';
import type { FlagTargeting, FlagValue, OfrepReason } from '../../protocol/flags';

/**
 * How one flag resolves for one user: pure, so its rules are tested by table and the same user
 * always lands in the same place. The bucket is a stable hash of flag and user: a user's share of
 * a rollout or A/B variant never changes while the flag's numbers do not, and raising a rollout
 * from 10 % to 20 % keeps the first 10 % in.
 */

export interface FlagResolution {
  value: FlagValue;
  reason: OfrepReason;
  variant?: string;
}

/** A number in [0, 1) fixed by flag and user. */
export function bucketOf(flagKey: string, userId: string): number {
  const digest = createHash('sha256').update(`${flagKey}\u0000${userId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

export function resolveFlag(
  flag: { key: string; defaultValue: FlagValue },
  targeting: FlagTargeting | null,
  userId: string,
): FlagResolution {
  if (targeting === null) return { value: flag.defaultValue, reason: 'DEFAULT', variant: 'default' };
  if (!targeting.enabled) return { value: flag.defaultValue, reason: 'DISABLED', variant: 'off' };
  const onValue = targeting.onValue ?? onValueOf(flag.defaultValue);
  if (targeting.userIds.includes(userId)) return { value: onValue, reason: 'TARGETING_MATCH', variant: 'on' };
  const bucket = bucketOf(flag.key, userId);
  if (targeting.variants.length > 0) {
    const total = targeting.variants.reduce((sum, variant) => sum + variant.weight, 0);
    let edge = 0;
    for (const variant of targeting.variants) {
      edge += variant.weight / total;
      if (bucket < edge) return { value: variant.value, reason: 'SPLIT', variant: variant.name };
    }
    // Rounding can leave the top sliver past the last edge: it belongs to the last weighted variant.
    const last = [...targeting.variants].reverse().find((variant) => variant.weight > 0)!;
    return { value: last.value, reason: 'SPLIT', variant: last.name };
  }
  if (targeting.rolloutPercent >= 100) return { value: onValue, reason: 'STATIC', variant: 'on' };
  return bucket < targeting.rolloutPercent / 100
    ? { value: onValue, reason: 'SPLIT', variant: 'on' }
    : { value: flag.defaultValue, reason: 'SPLIT', variant: 'off' };
}

/** "On" for a boolean flag is true; other types name their on value in the targeting. */
function onValueOf(defaultValue: FlagValue): FlagValue {
  return typeof defaultValue === 'boolean' ? true : defaultValue;
}
