import { OpenFeatureProvider, useBooleanFlagValue } from '@openfeature/react-sdk';
import type { ReactNode } from 'react';
import { FLAG_DEFINITIONS, type FlagKey } from '../../protocol/flags';

type BooleanFlagKey = { [K in FlagKey]: (typeof FLAG_DEFINITIONS)[K]['type'] extends 'boolean' ? K : never }[FlagKey];

/**
 * Screens that read flags render inside this (OpenFeature's React SDK): its hooks follow the
 * provider that src/app/feature-flags.ts sets, and render again when targeting changes. It lives
 * in the lazy screens that use it, never in the first load: the SDK is not needed to paint.
 */
export function FlagsBoundary({ children }: { children: ReactNode }) {
  return <OpenFeatureProvider>{children}</OpenFeatureProvider>;
}

/**
 * A boolean flag's value for the signed-in user: the flags file's default until the provider
 * answers (from its device cache at once, offline too), then the server's, live.
 */
export function useFeatureFlag(key: BooleanFlagKey): boolean {
  return useBooleanFlagValue(key, FLAG_DEFINITIONS[key].defaultValue);
}
