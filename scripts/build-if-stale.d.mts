/** Builds the PWA when dist/ is missing or older than its inputs. */
export function isBuildStale(): boolean;
export function buildIfStale(options?: { force?: boolean }): void;
