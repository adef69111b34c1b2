import type { z } from 'zod';
import { ApiError, networkError } from './api-error';
import { authorizedFetch, type AccessTokens, type AuthorizedRequest } from './authorized-fetch';
import { currentAccessToken, refreshSession } from './auth-client';

export { ApiError } from './api-error';

export interface ApiRequestOptions<T> extends AuthorizedRequest {
  /** Parses the response body; without it the body is ignored (e.g. 204). */
  schema?: z.ZodType<T>;
}

/** The session cannot be restored: the person has to sign in again. */
const sessionOver = () => new ApiError({ status: 401, code: 'unauthorized', message: 'Please sign in again.' });

async function tokenOrRefresh(): Promise<string> {
  const token = currentAccessToken();
  if (token) return token;
  const outcome = await refreshSession();
  const refreshed = currentAccessToken();
  if (outcome === 'refreshed' && refreshed) return refreshed;
  if (outcome === 'signed-out') throw sessionOver();
  throw networkError();
}

/**
 * A token newer than `stale`, which the server refused: when `stale` is still the current one, the
 * session is refreshed (once for every request that hit the same expiry).
 */
async function tokenAfter(stale: string): Promise<string> {
  if (currentAccessToken() === stale) {
    const outcome = await refreshSession();
    if (outcome === 'offline') throw networkError();
    if (outcome !== 'refreshed') throw sessionOver();
  }
  const token = currentAccessToken();
  if (!token) throw sessionOver();
  return token;
}

/** The signed-in user's tokens on the page; the sync worker is handed them (src/data/sync-worker-client.ts). */
export const sessionTokens: AccessTokens = { current: tokenOrRefresh, after: tokenAfter };

/**
 * Calls Rally's API as the signed-in user. An expired token is refreshed once (shared with every
 * other request that hit the same expiry) and the request retried.
 */
export async function apiRequest<T = void>(path: string, options: ApiRequestOptions<T> = {}): Promise<T> {
  const response = await authorizedFetch(path, options, sessionTokens);
  if (!options.schema) return undefined as T;
  return options.schema.parse(await response.json());
}
