/**
 * Whether the refresh cookie is marked `Secure`. With `auto` it is, unless the request is plain
 * http to a loopback host: that is development on this machine, where a browser would drop a
 * Secure cookie. Any other plain-http request may be one hop of a deployment whose proxy terminates
 * TLS (and says so only if trusted), so it errs towards Secure; COOKIE_SECURE=false opts out.
 */
export function isRefreshCookieSecure(setting: 'auto' | boolean, request: { protocol: string; hostname: string }): boolean {
  if (setting !== 'auto') return setting;
  return !(request.protocol === 'http' && isLoopbackHost(request.hostname));
}

/** `localhost` (and its subdomains), 127.0.0.0/8 and ::1, as fastify gives a hostname (IPv6 in brackets, no port). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
