/**
 * How page and worker retry a mutation the server could not take just now: the same rule in
 * both runtimes, so an item behaves alike whoever sends it.
 */

/**
 * Three tries in all (the first and two retries, within "at most 3 retries"): a server that
 * answers 500 three times in a row puts the item in the failed list for the user to retry.
 */
export const MAX_TRANSIENT_RETRIES = 2;

/** 5xx, timeouts and rate limits pass; any other 4xx is a refusal for good. */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** Exponential backoff with jitter: about 0.5 s, 1 s, 2 s (each ±25 %). */
export function retryDelayMs(retries: number, random: () => number = Math.random): number {
  return Math.round(500 * 2 ** retries * (0.75 + random() * 0.5));
}
