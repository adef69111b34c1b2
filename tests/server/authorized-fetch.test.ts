import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, networkError } from '../../src/net/api-error';
import { authorizedFetch, type AccessTokens } from '../../src/net/authorized-fetch';

// A real HTTP server on loopback that knows one good token ('fresh'), calls 'stale' expired and
// answers /gone with a 404 in Rally's error shape.
let server: Server;
let base = '';
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    seen.push(`${request.method} ${request.url} ${token}`);
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (token === 'stale') return answer(401, { error: { code: 'token_expired', message: 'Expired' } });
    if (token === 'banned') return answer(401, { error: { code: 'forbidden', message: 'Not you' } });
    if (token !== 'fresh') return answer(401, { error: { code: 'unauthorized', message: 'Who?' } });
    if (request.url === '/gone') return answer(404, { error: { code: 'not_found', message: 'Gone' } });
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk));
    request.on('end', () => answer(200, { ok: true, body: body || null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function tokens(first: string, after: (stale: string) => Promise<string>): AccessTokens & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    current: async () => first,
    after: (stale) => {
      asked.push(stale);
      return after(stale);
    },
  };
}

describe('authorizedFetch', () => {
  it('sends the current token and resolves with the OK response, the body sent as JSON', async () => {
    const response = await authorizedFetch(`${base}/echo`, { method: 'POST', body: { a: 1 } }, tokens('fresh', () => Promise.reject(new Error('not asked'))));
    expect(await response.json()).toEqual({ ok: true, body: '{"a":1}' });
  });

  it('replaces a refused token once and sends the request again', async () => {
    seen.length = 0;
    const source = tokens('stale', async () => 'fresh');
    const response = await authorizedFetch(`${base}/page`, {}, source);
    expect(response.ok).toBe(true);
    expect(source.asked).toEqual(['stale']);
    expect(seen).toEqual(['GET /page stale', 'GET /page fresh']);
  });

  it('rethrows the server\'s refusal when the session is over, and the refresher\'s own failure otherwise', async () => {
    const over = authorizedFetch(`${base}/page`, {}, tokens('stale', () => Promise.reject(new ApiError({ status: 401, code: 'unauthorized', message: 'Sign in' }))));
    await expect(over).rejects.toMatchObject({ status: 401, code: 'token_expired', message: 'Expired' });
    const offline = authorizedFetch(`${base}/page`, {}, tokens('stale', () => Promise.reject(networkError())));
    await expect(offline).rejects.toMatchObject({ status: 0, code: 'unavailable' });
  });

  it('does not retry a 401 that no new token would change, nor a second refusal', async () => {
    const banned = tokens('banned', async () => 'fresh');
    await expect(authorizedFetch(`${base}/page`, {}, banned)).rejects.toMatchObject({ status: 401, code: 'forbidden' });
    expect(banned.asked).toEqual([]);
    const twice = tokens('stale', async () => 'stale');
    await expect(authorizedFetch(`${base}/page`, {}, twice)).rejects.toMatchObject({ status: 401, code: 'token_expired' });
    expect(twice.asked).toEqual(['stale']);
  });

  it('rejects other answers with the server\'s error, and an unreachable server as a network error', async () => {
    await expect(authorizedFetch(`${base}/gone`, {}, tokens('fresh', async () => 'fresh'))).rejects.toMatchObject({ status: 404, code: 'not_found', message: 'Gone' });
    await expect(authorizedFetch('http://127.0.0.1:1/page', {}, tokens('fresh', async () => 'fresh'))).rejects.toMatchObject({ status: 0, code: 'unavailable' });
  });
});
