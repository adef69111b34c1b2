import type { AdminFlagList, FlagTargeting, FlagValue } from '../../../protocol/flags';

/**
 * The admin's flag form as text fields (what inputs hold) and back to targeting (what the server
 * takes). Pure, so the round trip is tested without a browser (flag-form.test.ts); the server
 * validates the result again with the contract's schema.
 */

export type AdminFlag = AdminFlagList['flags'][number];

export interface VariantDraft {
  name: string;
  value: string;
  weight: string;
}

export interface FlagDraft {
  enabled: boolean;
  onValue: string;
  rolloutPercent: string;
  userIds: string;
  variants: VariantDraft[];
}

/** What "on" means when never set: the opposite of a boolean default (else turning on changes nothing), or the default. */
function naturalOnValue(flag: AdminFlag): FlagValue {
  return flag.type === 'boolean' ? !flag.defaultValue : flag.defaultValue;
}

export function draftOf(flag: AdminFlag): FlagDraft {
  const targeting = flag.targeting;
  return {
    enabled: targeting?.enabled ?? false,
    onValue: String(targeting?.onValue ?? naturalOnValue(flag)),
    rolloutPercent: String(targeting?.rolloutPercent ?? 100),
    userIds: (targeting?.userIds ?? []).join('\n'),
    variants: (targeting?.variants ?? []).map((variant) => ({ name: variant.name, value: String(variant.value), weight: String(variant.weight) })),
  };
}

export type DraftErrors = Partial<Record<'onValue' | 'rolloutPercent' | 'variants', string>>;

/** A typed value from what a field holds, or undefined when it is not one of the flag's type. */
export function parseFlagValue(type: AdminFlag['type'], text: string): FlagValue | undefined {
  const trimmed = text.trim();
  if (type === 'boolean') return trimmed === 'true' ? true : trimmed === 'false' ? false : undefined;
  if (type === 'number') return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : undefined;
  return text;
}

export function targetingOf(flag: AdminFlag, draft: FlagDraft): { targeting: FlagTargeting } | { errors: DraftErrors } {
  const errors: DraftErrors = {};
  const onValue = parseFlagValue(flag.type, draft.onValue);
  if (onValue === undefined) errors.onValue = `Must be a ${flag.type}`;
  const rolloutPercent = Number(draft.rolloutPercent);
  if (draft.rolloutPercent.trim() === '' || !Number.isFinite(rolloutPercent) || rolloutPercent < 0 || rolloutPercent > 100) errors.rolloutPercent = 'Must be from 0 to 100';
  const variants = draft.variants.map((variant) => ({ name: variant.name.trim(), value: parseFlagValue(flag.type, variant.value), weight: Number(variant.weight) }));
  if (variants.some((variant) => !variant.name || variant.value === undefined || !Number.isFinite(variant.weight) || variant.weight < 0)) {
    errors.variants = `Each variant needs a name, a ${flag.type} value and a weight of 0 or more`;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    targeting: {
      enabled: draft.enabled,
      onValue: onValue!,
      rolloutPercent,
      userIds: [...new Set(draft.userIds.split(/[\s,]+/).filter(Boolean))],
      variants: variants.map((variant) => ({ name: variant.name, value: variant.value!, weight: variant.weight })),
    },
  };
}
