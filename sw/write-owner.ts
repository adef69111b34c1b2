import { WRITER_HEADER } from '../protocol/worker-messages';

/**
 * Who a queued write belongs to, and the form in which it is kept. A write waits in the worker's
 * queue for hours, on a device several people may share: it is kept with no credential (the token
 * is added when it is sent) and with the id of the user who made it, so it is only ever sent as them.
 */

export interface WriteMetadata {
  userId: string;
}

/** The `sub` of a bearer token, read without checking it: it only names whose write this is. */
function subjectOf(authorization: string | null): string | null {
  const payload = authorization?.match(/^Bearer [^.]+\.([^.]+)\./)?.[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof claims === 'object' && claims !== null && 'sub' in claims && typeof claims.sub === 'string' ? claims.sub : null;
  } catch {
    return null;
  }
}

/** The page names the writer; entries queued by an older page name them only in their token. */
export function writerOf(headers: Headers, metadata: unknown): string | null {
  if (typeof metadata === 'object' && metadata !== null && 'userId' in metadata && typeof metadata.userId === 'string') return metadata.userId;
  return headers.get(WRITER_HEADER) ?? subjectOf(headers.get('Authorization'));
}

/** The request as it may be stored: everything but its credential. */
export function withoutCredentials(request: Request, body: string): Request {
  const headers = new Headers(request.headers);
  headers.delete('Authorization');
  return new Request(request.url, { method: request.method, headers, body, credentials: 'omit' });
}
