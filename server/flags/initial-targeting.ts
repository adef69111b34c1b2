import { FLAG_DEFINITIONS, FlagTargeting, isFlagKey, type FlagKey } from '../../protocol/flags';

/**
 * The operator's targeting for flags no administrator has set yet (`FLAGS_TARGETING`, JSON:
 * `{"chat-reactions":{"enabled":true}}`): a deployment can roll a feature out from its
 * configuration, as it would with a flagd file. A flag saved on the admin screen follows the
 * saved targeting from then on.
 */
export type InitialTargeting = ReadonlyMap<FlagKey, FlagTargeting>;

/** Why a flag's targeting cannot be used, or null: every value must have the flag's type. */
export function wrongValueType(key: FlagKey, targeting: FlagTargeting): string | null {
  const { type } = FLAG_DEFINITIONS[key];
  const wrong = [targeting.onValue, ...targeting.variants.map((variant) => variant.value)].some((value) => value !== undefined && typeof value !== type);
  return wrong ? `“${key}” is a ${type} flag: every value must be a ${type}` : null;
}

/** Reads FLAGS_TARGETING; the problems are listed, as the server refuses to start with them. */
export function parseInitialTargeting(text: string | undefined): { targeting: InitialTargeting } | { problems: string[] } {
  const targeting = new Map<FlagKey, FlagTargeting>();
  if (!text?.trim()) return { targeting };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problems: ['is not JSON'] };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { problems: ['must be a JSON object of flag name → targeting'] };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (!isFlagKey(key)) {
      problems.push(`${key}: there is no such flag`);
      continue;
    }
    const parsed = FlagTargeting.safeParse(value);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => `${[key, ...issue.path].join('.')}: ${issue.message}`));
      continue;
    }
    const wrongType = wrongValueType(key, parsed.data);
    if (wrongType) problems.push(`${key}: ${wrongType}`);
    else targeting.set(key, parsed.data);
  }
  return problems.length ? { problems } : { targeting };
}
