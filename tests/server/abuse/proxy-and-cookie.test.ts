import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';
import { request, startTestServer, type TestServer } from '../harness';

/**
 * Behind a proxy, the rate limit's bucket is the client address the proxy saw. `X-Forwarded-For`
 * is a list each hop appends to, so only its last N entries (N = the proxies in front of Rally)
 * were written by someone Rally trusts; whatever a client put before them is its own choosing.
 */
describe('TRUST_PROXY', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A registration as one proxy in front of Rally forwards it: the client's header, then the address the proxy saw. */
  const registerVia = (proxyClient: string, clientChain: string | undefined) =>
    request(server!, 'POST', '/api/auth/register', {
      body: { email: `bucket.${randomBytes(4).toString('hex')}@example.test`, password: 'correct horse battery', displayName: 'Bucket' },
      headers: { 'x-forwarded-for': clientChain ? `${clientChain}, ${proxyClient}` : proxyClient },
    });

  it('with one hop, a client cannot pick its bucket by putting addresses in X-Forwarded-For', async () => {
    server = await startTestServer({ TRUST_PROXY: '1', AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    const client = '203.0.113.7';
    // A new made-up chain each time, some of them naming loopback as if they were proxies too.
    const chains = ['1.2.3.4', '1.2.3.5, 127.0.0.1', '10.0.0.1, 10.0.0.2, 10.0.0.3', '198.51.100.9'];
    const statuses: number[] = [];
    for (const chain of chains) statuses.push((await registerVia(client, chain)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    // Another client behind the same proxy has a bucket of its own.
    expect((await registerVia('203.0.113.8', '1.2.3.4')).status).toBe(201);
  });

  it('with the proxy named by address, the same holds', async () => {
    server = await startTestServer({ TRUST_PROXY: '127.0.0.1, ::1', AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    const statuses: number[] = [];
    for (const chain of ['1.2.3.4', '5.6.7.8, 127.0.0.1', '9.9.9.9']) statuses.push((await registerVia('203.0.113.9', chain)).status);
    expect(statuses).toEqual([201, 201, 429]);
  });

  it('refuses TRUST_PROXY=true at start, naming the variable', () => {
    for (const value of ['true', 'yes']) {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
    }
  });
});

describe('COOKIE_SECURE=auto', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /**
   * The refresh cookie a registration sets. Sent with node:http rather than fetch, because fetch
   * will not send a Host header of the caller's choosing.
   */
  function refreshCookieFor(headers: Record<string, string>): Promise<string> {
    const body = JSON.stringify({ email: `cookie.${randomBytes(4).toString('hex')}@example.test`, password: 'correct horse battery', displayName: 'Cookie' });
    return new Promise((resolve, reject) => {
      const sent = httpRequest(
        `${server!.url}/api/auth/register`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
        (response) => {
          response.resume();
          const cookie = (response.headers['set-cookie'] ?? []).find((c) => c.startsWith('rally_refresh='));
          if (response.statusCode !== 201 || !cookie) reject(new Error(`registration answered ${response.statusCode} without a refresh cookie`));
          else resolve(cookie);
        },
      );
      sent.on('error', reject);
      sent.end(body);
    });
  }
  const secure = /;\s*Secure(;|$)/i;

  it('is Secure unless the request is plain http on loopback', async () => {
    server = await startTestServer();
    const port = new URL(server.url).port;
    // Plain http on 127.0.0.1 and localhost: development on this machine, where browsers drop a Secure cookie.
    expect(await refreshCookieFor({})).not.toMatch(secure);
    expect(await refreshCookieFor({ host: `localhost:${port}` })).not.toMatch(secure);
    // Anything reached by another name may be a plain-http hop of a real deployment: Secure.
    expect(await refreshCookieFor({ host: 'rally.example' })).toMatch(secure);
    expect(await refreshCookieFor({ host: `192.168.1.20:${port}` })).toMatch(secure);
    // Forwarded headers from a peer that is not a trusted proxy change nothing.
    expect(await refreshCookieFor({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'localhost' })).not.toMatch(secure);
  });

  it('is Secure for https forwarded by a trusted proxy, whatever the host', async () => {
    server = await startTestServer({ TRUST_PROXY: '1' });
    expect(await refreshCookieFor({ 'x-forwarded-proto': 'https' })).toMatch(secure);
    expect(await refreshCookieFor({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'rally.example' })).toMatch(secure);
    expect(await refreshCookieFor({ 'x-forwarded-proto': 'http', 'x-forwarded-host': 'rally.example' })).toMatch(secure);
    expect(await refreshCookieFor({ 'x-forwarded-proto': 'http' })).not.toMatch(secure);
  });
});
