import type { z } from 'zod';
import { ApiError, networkError, readApiError } from './api-error';
import { currentAccessToken, refreshSession } from './auth-client';

export { ApiError } from './api-error';

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRequestOptions<T> {
  method?: HttpMethod;
  body?: unknown;
  /** Parses the response body; without it the body is ignored (e.g. 204). */
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
  /** Extra request headers (the sync feed's protocol version). */
  headers?: Record<string, string>;
}

async function send(path: string, token: string, options: ApiRequestOptions<unknown>): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers, Authorization: `Bearer ${token}` };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw networkError();
  }
}

async function tokenOrRefresh(): Promise<string> {
  const token = currentAccessToken();
  if (token) return token;
  const outcome = await refreshSession();
  const refreshed = currentAccessToken();
  if (outcome === 'refreshed' && refreshed) return refreshed;
  if (outcome === 'signed-out') throw new ApiError({ status: 401, code: 'unauthorized', message: 'Please sign in again.' });
  throw networkError();
}

/**
 * A token for a request made elsewhere (the sync worker): the current one, or, when the server
 * refused `stale` and it is still the current one, a refreshed one (shared with every other
 * request that hit the same expiry).
 */
export async function tokenAfter(stale: string | null): Promise<string> {
  if (stale === null) return tokenOrRefresh();
  if (currentAccessToken() === stale) {
    const outcome = await refreshSession();
    if (outcome === 'offline') throw networkError();
    if (outcome !== 'refreshed') throw new ApiError({ status: 401, code: 'unauthorized', message: 'Please sign in again.' });
  }
  const token = currentAccessToken();
  if (!token) throw new ApiError({ status: 401, code: 'unauthorized', message: 'Please sign in again.' });
  return token;
}

/**
 * Calls Rally's API as the signed-in user. An expired token is refreshed once (shared with every
 * other request that hit the same expiry) and the request retried.
 */
export async function apiRequest<T = void>(path: string, options: ApiRequestOptions<T> = {}): Promise<T> {
  const token = await tokenOrRefresh();
  let response = await send(path, token, options);

  if (response.status === 401) {
    const error = await readApiError(response);
    if (error.code !== 'token_expired' && error.code !== 'unauthorized') throw error;
    // Another request may already have refreshed while this one was in flight.
    if (currentAccessToken() === token) {
      const outcome = await refreshSession();
      if (outcome !== 'refreshed') throw outcome === 'offline' ? networkError() : error;
    }
    const retryToken = currentAccessToken();
    if (!retryToken) throw error;
    response = await send(path, retryToken, options);
  }

  if (!response.ok) throw await readApiError(response);
  if (!options.schema) return undefined as T;
  return options.schema.parse(await response.json());
}
