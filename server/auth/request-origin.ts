import type { IncomingHttpHeaders } from 'node:http';

/**
 * True when a browser tells us the request comes from another site. Cookie-authenticated
 * endpoints refuse those: SameSite=Strict already keeps the cookie off them, and this is the
 * second lock on the door. Requests without these headers (non-browser clients) carry no
 * ambient cookie risk and pass.
 */
export function isCrossSiteRequest(headers: IncomingHttpHeaders, allowedOrigins: readonly string[]): boolean {
  const fetchSite = headerValue(headers['sec-fetch-site']);
  const origin = headerValue(headers.origin);
  if (origin !== undefined) return !isAllowedOrigin(origin, headerValue(headers.host), allowedOrigins);
  if (fetchSite !== undefined) return fetchSite !== 'same-origin' && fetchSite !== 'none';
  return false;
}

/** Same origin as the server (by host), or listed in ALLOWED_ORIGINS. */
export function isAllowedOrigin(origin: string, host: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (allowedOrigins.includes(origin)) return true;
  if (origin === 'null') return false;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
