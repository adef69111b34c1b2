import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FlagTargeting } from '../../protocol/flags';
import { bucketOf, resolveFlag } from './flag-rules';

const flag = { key: 'chat-photos', defaultValue: false };
const targeting = (given: Partial<FlagTargeting>): FlagTargeting => FlagTargeting.parse({ enabled: true, ...given });
const users = Array.from({ length: 10_000 }, () => randomUUID());

describe('resolveFlag', () => {
  it.each([
    ['never set: the default', null, 'u1', { value: false, reason: 'DEFAULT' }],
    ['off: the default', targeting({ enabled: false, userIds: ['u1'] }), 'u1', { value: false, reason: 'DISABLED' }],
    ['a listed user: on', targeting({ userIds: ['u1'], rolloutPercent: 0 }), 'u1', { value: true, reason: 'TARGETING_MATCH' }],
    ['everyone: on', targeting({}), 'u2', { value: true, reason: 'STATIC' }],
    ['nobody but the list: the default', targeting({ rolloutPercent: 0 }), 'u2', { value: false, reason: 'SPLIT' }],
    ['a chosen on value', targeting({ onValue: false }), 'u2', { value: false, reason: 'STATIC' }],
  ] as const)('%s', (_name, given, userId, expected) => {
    expect(resolveFlag(flag, given, userId)).toMatchObject(expected);
  });

  it.each([10, 25, 50, 90])('a %i %% rollout reaches that share of 10,000 users, within ±2 %%', (percent) => {
    const on = users.filter((userId) => resolveFlag(flag, targeting({ rolloutPercent: percent }), userId).value === true).length;
    expect(Math.abs(on / users.length - percent / 100)).toBeLessThanOrEqual(0.02);
  });

  it('raising a rollout keeps everyone who already had it', () => {
    const at10 = new Set(users.filter((u) => resolveFlag(flag, targeting({ rolloutPercent: 10 }), u).value === true));
    const at20 = new Set(users.filter((u) => resolveFlag(flag, targeting({ rolloutPercent: 20 }), u).value === true));
    for (const user of at10) expect(at20.has(user)).toBe(true);
  });

  it('splits users between variants by weight, and a user keeps a variant while the weights stay', () => {
    const ab = targeting({ variants: [{ name: 'control', value: 'a', weight: 70 }, { name: 'treatment', value: 'b', weight: 30 }] });
    const first = users.map((u) => resolveFlag({ key: 'headline', defaultValue: 'a' }, ab, u).variant);
    const treatment = first.filter((v) => v === 'treatment').length / users.length;
    expect(Math.abs(treatment - 0.3)).toBeLessThanOrEqual(0.02);
    const again = users.map((u) => resolveFlag({ key: 'headline', defaultValue: 'a' }, ab, u).variant);
    expect(again).toEqual(first);
  });

  it('a variant of weight 0 is never given', () => {
    const ab = targeting({ variants: [{ name: 'never', value: 'x', weight: 0 }, { name: 'always', value: 'y', weight: 1 }] });
    expect(new Set(users.slice(0, 2000).map((u) => resolveFlag({ key: 'k', defaultValue: 'y' }, ab, u).variant))).toEqual(new Set(['always']));
  });

  it('buckets differ per flag, so one flag’s early adopters are not every flag’s', () => {
    const early = (key: string) => users.filter((u) => bucketOf(key, u) < 0.1);
    const overlap = early('a').filter((u) => bucketOf('b', u) < 0.1).length / early('a').length;
    expect(overlap).toBeLessThan(0.2);
  });
});

describe('FlagTargeting', () => {
  it('refuses variants that can never be chosen, or share a name', () => {
    expect(FlagTargeting.safeParse({ enabled: true, variants: [{ name: 'a', value: 1, weight: 0 }] }).success).toBe(false);
    expect(FlagTargeting.safeParse({ enabled: true, variants: [{ name: 'a', value: 1, weight: 1 }, { name: 'a', value: 2, weight: 1 }] }).success).toBe(false);
    expect(FlagTargeting.safeParse({ enabled: true, rolloutPercent: 101 }).success).toBe(false);
  });
});
