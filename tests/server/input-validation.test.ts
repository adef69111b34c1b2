import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { futureInstant, registerUser, request, startTestServer, type TestServer, type TestUser } from './harness';

/** Every refusal of bad input has this shape, and never a stack trace or SQL. */
function expectInvalid(response: { status: number; body: any }, fields: string[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(response.status).toBe(400);
  expect(response.body.error.code).toBe('invalid_input');
  expect(typeof response.body.error.message).toBe('string');
  for (const field of fields) expect(Object.keys(response.body.error.fields ?? {})).toContain(field);
  expect(JSON.stringify(response.body)).not.toMatch(/\bat .*\.ts:\d+|SELECT|INSERT|sqlite|postgres/i);
}

describe('bad input', () => {
  let server: TestServer;
  let user: TestUser;
  let activityId: string;
  beforeAll(async () => {
    server = await startTestServer();
    user = await registerUser(server, 'Validator');
    const created = await request(server, 'POST', '/api/activities', {
      token: user.token,
      body: { title: 'Valid', startsAt: futureInstant() },
    });
    activityId = created.body.id;
  });
  afterAll(async () => server.close());

  it('names each bad registration field', async () => {
    expectInvalid(
      await request(server, 'POST', '/api/auth/register', { body: { email: 'not-an-email', password: 'short', displayName: '' } }),
      ['email', 'password', 'displayName'],
    );
    expectInvalid(await request(server, 'POST', '/api/auth/register', { body: {} }), ['email', 'password', 'displayName']);
    expectInvalid(await request(server, 'POST', '/api/auth/register', { body: [1, 2] }), ['(root)']);
    expectInvalid(await request(server, 'POST', '/api/auth/login', { body: { email: 42, password: null } }), ['email', 'password']);
  });

  it('names each bad activity field, unknown fields included', async () => {
    expectInvalid(
      await request(server, 'POST', '/api/activities', {
        token: user.token,
        body: { title: '', startsAt: 'tomorrow', capacity: -3, visibility: 'secret', admin: true },
      }),
      ['title', 'startsAt', 'capacity', 'visibility', 'admin'],
    );
    expectInvalid(
      await request(server, 'POST', '/api/activities', {
        token: user.token,
        body: { title: 'x'.repeat(500), startsAt: futureInstant(), endsAt: futureInstant(-1) },
      }),
      ['title', 'endsAt'],
    );
    expectInvalid(await request(server, 'PATCH', `/api/activities/${activityId}`, { token: user.token, body: {} }), ['(root)']);
    expectInvalid(
      await request(server, 'PATCH', `/api/activities/${activityId}`, { token: user.token, body: { capacity: 1.5 } }),
      ['capacity'],
    );
  });

  it('refuses ids, queries and cursors that are not what the contract says', async () => {
    expectInvalid(await request(server, 'GET', '/api/activities/not-a-uuid', { token: user.token }), ['activityId']);
    expectInvalid(await request(server, 'GET', "/api/activities/1' OR '1'='1", { token: user.token }), ['activityId']);
    expectInvalid(await request(server, 'GET', '/api/activities?scope=everything', { token: user.token }), ['scope']);
    expectInvalid(await request(server, 'GET', '/api/activities?limit=100000', { token: user.token }), ['limit']);
    expectInvalid(await request(server, 'GET', '/api/activities?cursor=garbage', { token: user.token }), ['cursor']);
    expectInvalid(await request(server, 'GET', '/api/users?q=', { token: user.token }), ['q']);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await request(server, 'POST', '/api/activities', { token: user.token, rawBody: '{"title": "open' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_json');
  });

  it('answers a body over 256 KB with 413', async () => {
    const response = await request(server, 'POST', '/api/activities', {
      token: user.token,
      body: { title: 'Big', startsAt: futureInstant(), description: 'x'.repeat(300 * 1024) },
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
  });

  it('answers a body that is not JSON with 415', async () => {
    const response = await request(server, 'POST', '/api/activities', {
      token: user.token,
      rawBody: 'title=hello',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect(response.body.error.code).toBe('unsupported_media_type');
  });

  it('answers unknown API routes with JSON 404', async () => {
    const response = await request(server, 'GET', '/api/does-not-exist');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
    const wrongMethod = await request(server, 'PUT', '/api/auth/login', { body: {} });
    expect(wrongMethod.status).toBe(404);
  });

  it('serves health, readiness and security headers', async () => {
    const health = await request(server, 'GET', '/api/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await request(server, 'GET', '/api/ready');
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready' } });
    const csp = health.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // No Firebase web config here: connections stay same-origin.
    expect(csp).toContain("connect-src 'self';");
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    // The headers are worked out on the first request and kept: every later answer has the same ones.
    const securityHeaders = (headers: Headers) =>
      ['content-security-policy', 'cross-origin-opener-policy', 'referrer-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options'].map((name) => headers.get(name));
    expect(securityHeaders(ready.headers)).toEqual(securityHeaders(health.headers));
    expect(securityHeaders(ready.headers).every((value) => value)).toBe(true);
  });
});
