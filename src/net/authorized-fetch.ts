import { ApiError, networkError, readApiError } from './api-error';

/** Where a request's access token comes from: the page's session, or what the page handed the sync worker. */
export interface AccessTokens {
  /** The token to send first. */
  current(): Promise<string>;
  /**
   * A token newer than `stale`, which the server refused. Rejects with a 401 ApiError when the
   * session is over (the server's own refusal is then what the caller sees).
   */
  after(stale: string): Promise<string>;
}

export interface AuthorizedRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers (the sync feed's protocol version). */
  headers?: Record<string, string>;
}

async function send(path: string, token: string, request: AuthorizedRequest): Promise<Response> {
  const headers: Record<string, string> = { ...request.headers, Authorization: `Bearer ${token}` };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await fetch(path, {
      method: request.method ?? 'GET',
      headers,
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    throw networkError();
  }
}

/**
 * Calls Rally's API with a bearer token and resolves with the OK response; anything else rejects
 * with an ApiError. A token the server refuses (expired, or revoked by a refresh elsewhere) is
 * replaced once through `tokens.after` and the request sent again. The page's requests and the
 * sync worker's share this one rule (src/net/api.ts, src/data/sync-worker.ts).
 */
export async function authorizedFetch(path: string, request: AuthorizedRequest, tokens: AccessTokens): Promise<Response> {
  const token = await tokens.current();
  let response = await send(path, token, request);
  if (response.status === 401) {
    const refused = await readApiError(response);
    if (refused.code !== 'token_expired' && refused.code !== 'unauthorized') throw refused;
    let retryToken: string;
    try {
      retryToken = await tokens.after(token);
    } catch (error) {
      throw error instanceof ApiError && error.status === 401 ? refused : error;
    }
    response = await send(path, retryToken, request);
  }
  if (!response.ok) throw await readApiError(response);
  return response;
}
