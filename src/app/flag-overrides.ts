import type { EvaluationContext, JsonValue, Logger, Provider, ResolutionDetails } from '@openfeature/web-sdk';
import { FLAG_DEFINITIONS, isFlagKey, type FlagKey, type FlagValue } from '../../protocol/flags';

/**
 * Development overrides: `?flag.<name>=<value>` in the address sets a flag on this tab whatever
 * the server says (kept in session storage, so it survives navigation and reloads of the tab, and
 * `?flag.<name>=` with no value drops it). Development builds only: a production build never reads
 * them (`import.meta.env.DEV` removes the call), so nobody can switch a rollout on for themselves.
 */

export type FlagOverrides = Partial<Record<FlagKey, FlagValue>>;

const STORAGE_KEY = 'rally:flag-overrides';
const PREFIX = 'flag.';

/** Overrides named in a query string, typed by each flag's definition; unknown flags and unreadable values are left out. */
export function overridesIn(search: string, kept: FlagOverrides = {}): FlagOverrides {
  const overrides: FlagOverrides = { ...kept };
  for (const [name, text] of new URLSearchParams(search)) {
    if (!name.startsWith(PREFIX)) continue;
    const key = name.slice(PREFIX.length);
    if (!isFlagKey(key)) continue;
    if (text === '') {
      delete overrides[key];
      continue;
    }
    const value = typed(FLAG_DEFINITIONS[key].type, text);
    if (value !== undefined) overrides[key] = value;
  }
  return overrides;
}

function typed(type: 'boolean' | 'string' | 'number', text: string): FlagValue | undefined {
  if (type === 'boolean') return text === 'true' || text === '1' ? true : text === 'false' || text === '0' ? false : undefined;
  if (type === 'number') return Number.isFinite(Number(text)) ? Number(text) : undefined;
  return text;
}

/** This tab's overrides: what the address says now, on top of what it said before. */
export function readFlagOverrides(): FlagOverrides {
  let kept: FlagOverrides = {};
  try {
    kept = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '{}') as FlagOverrides;
  } catch {
    // Unreadable: start from none.
  }
  const overrides = overridesIn(window.location.search, kept);
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(overrides));
  } catch {
    // Storage full or denied: the overrides hold for this page only.
  }
  return overrides;
}

/**
 * The provider with `overrides` answered first (reason STATIC, variant "override"); every other
 * flag, and its events, context changes and lifecycle, are the inner provider's.
 */
export function withOverrides(inner: Provider, overrides: FlagOverrides): Provider {
  if (Object.keys(overrides).length === 0) return inner;
  const answer = <T,>(key: string, kind: string, ask: () => ResolutionDetails<T>): ResolutionDetails<T> => {
    const value = isFlagKey(key) ? overrides[key] : undefined;
    return value !== undefined && typeof value === kind ? { value: value as T, reason: 'STATIC', variant: 'override' } : ask();
  };
  return {
    metadata: { name: `${inner.metadata.name} with development overrides` },
    runsOn: 'client',
    ...(inner.hooks ? { hooks: inner.hooks } : {}),
    ...(inner.events ? { events: inner.events } : {}),
    initialize: (context?: EvaluationContext) => inner.initialize?.(context) ?? Promise.resolve(),
    onClose: () => inner.onClose?.() ?? Promise.resolve(),
    onContextChange: (oldContext: EvaluationContext, newContext: EvaluationContext) => inner.onContextChange?.(oldContext, newContext),
    resolveBooleanEvaluation: (key: string, fallback: boolean, context: EvaluationContext, logger: Logger) =>
      answer(key, 'boolean', () => inner.resolveBooleanEvaluation(key, fallback, context, logger)),
    resolveStringEvaluation: (key: string, fallback: string, context: EvaluationContext, logger: Logger) =>
      answer(key, 'string', () => inner.resolveStringEvaluation(key, fallback, context, logger)),
    resolveNumberEvaluation: (key: string, fallback: number, context: EvaluationContext, logger: Logger) =>
      answer(key, 'number', () => inner.resolveNumberEvaluation(key, fallback, context, logger)),
    resolveObjectEvaluation: <T extends JsonValue>(key: string, fallback: T, context: EvaluationContext, logger: Logger) => inner.resolveObjectEvaluation(key, fallback, context, logger),
  };
}
