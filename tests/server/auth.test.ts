import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCookieOf, registerUser, request, startTestServer, type TestServer } from './harness';

describe('auth', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ACCESS_TOKEN_TTL_SECONDS: '900' });
  });
  afterAll(async () => server.close());

  it('registers, signs in and tells the user who they are', async () => {
    const user = await registerUser(server, 'Ana');
    expect(user.session.user).toMatchObject({ displayName: 'Ana', email: user.email });

    const login = await request(server, 'POST', '/api/auth/login', {
      body: { email: user.email.toUpperCase(), password: user.password },
    });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(user.id);

    const me = await request(server, 'GET', '/api/auth/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: user.id, email: user.email, displayName: 'Ana' });
    expect(JSON.stringify(me.body)).not.toMatch(/password|salt|hash/i);
  });

  it('sets the refresh token as an httpOnly, SameSite=Strict cookie scoped to /api/auth', async () => {
    const email = `cookie.${Date.now()}@example.test`;
    const response = await request(server, 'POST', '/api/auth/register', {
      body: { email, password: 'long enough pw', displayName: 'Cookie' },
    });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('rally_refresh='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/auth/);
    // Plain http here, so the cookie must not be marked Secure or browsers would drop it.
    expect(cookie).not.toMatch(/;\s*Secure/i);
  });

  it('refuses a second account with the same email', async () => {
    const user = await registerUser(server, 'Dup');
    const again = await request(server, 'POST', '/api/auth/register', {
      body: { email: user.email, password: 'another password', displayName: 'Dup 2' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const user = await registerUser(server, 'Bea');
    const wrongPassword = await request(server, 'POST', '/api/auth/login', {
      body: { email: user.email, password: 'not the password' },
    });
    const unknownEmail = await request(server, 'POST', '/api/auth/login', {
      body: { email: 'nobody.here@example.test', password: 'not the password' },
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.body.error.code).toBe('invalid_credentials');
  });

  it('rotates the refresh token on every refresh', async () => {
    const user = await registerUser(server, 'Cid');
    const first = await request(server, 'POST', '/api/auth/refresh', { headers: { cookie: user.refreshCookie } });
    expect(first.status).toBe(200);
    const rotated = refreshCookieOf(first.headers);
    expect(rotated).not.toBe(user.refreshCookie);
    expect(first.body.user.id).toBe(user.id);

    const second = await request(server, 'POST', '/api/auth/refresh', { headers: { cookie: rotated } });
    expect(second.status).toBe(200);
    expect(refreshCookieOf(second.headers)).not.toBe(rotated);
  });

  it('revokes the whole family when an already-rotated refresh token comes back after the grace window', async () => {
    const user = await registerUser(server, 'Dan');
    const rotated = await request(server, 'POST', '/api/auth/refresh', { headers: { cookie: user.refreshCookie } });
    const current = refreshCookieOf(rotated.headers);

    // Within REFRESH_REPEAT_GRACE_MS a repeat is a lost answer being retried (tests/server/abuse/refresh-failures.test.ts);
    // after it, the old token in anyone's hands is theft.
    server.advanceClock(11_000);
    const replay = await request(server, 'POST', '/api/auth/refresh', { headers: { cookie: user.refreshCookie } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('refresh_reused');

    // The legitimate holder of the newest token is signed out too: a new login is required.
    const afterRevocation = await request(server, 'POST', '/api/auth/refresh', { headers: { cookie: current } });
    expect(afterRevocation.status).toBe(401);

    const login = await request(server, 'POST', '/api/auth/login', { body: { email: user.email, password: user.password } });
    expect(login.status).toBe(200);
  });

  it('refuses refresh without a cookie, and after logout', async () => {
    const none = await request(server, 'POST', '/api/auth/refresh');
    expect(none.status).toBe(401);

    const user = await registerUser(server, 'Eve');
    const logout = await request(server, 'POST', '/api/auth/logout', { headers: { cookie: user.refreshCookie } });
    expect(logout.status).toBe(204);
    const refresh = await request(server, 'POST', '/api/auth/refresh', { headers: { cookie: user.refreshCookie } });
    expect(refresh.status).toBe(401);
  });

  it('refuses cross-site refresh and logout', async () => {
    const user = await registerUser(server, 'Fay');
    const byOrigin = await request(server, 'POST', '/api/auth/refresh', {
      headers: { cookie: user.refreshCookie, origin: 'https://evil.example' },
    });
    expect(byOrigin.status).toBe(403);
    expect(byOrigin.body.error.code).toBe('cross_site');

    const byFetchMetadata = await request(server, 'POST', '/api/auth/refresh', {
      headers: { cookie: user.refreshCookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(byFetchMetadata.status).toBe(403);

    const logout = await request(server, 'POST', '/api/auth/logout', {
      headers: { cookie: user.refreshCookie, origin: 'https://evil.example' },
    });
    expect(logout.status).toBe(403);

    // The refused attempts did not burn the token: a same-origin refresh still works.
    const sameOrigin = await request(server, 'POST', '/api/auth/refresh', {
      headers: { cookie: user.refreshCookie, origin: server.url, 'sec-fetch-site': 'same-origin' },
    });
    expect(sameOrigin.status).toBe(200);
  });

  it('requires a valid access token', async () => {
    const missing = await request(server, 'GET', '/api/auth/me');
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('unauthorized');

    const forged = await request(server, 'GET', '/api/auth/me', {
      token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
    });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('unauthorized');
  });
});

describe('auth with a clock that moves', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Behind one trusted proxy (TRUST_PROXY=1), so that each request can come from an address of its own
    // (X-Forwarded-For): the per-account limit is then the only one that can stop an attacker.
    server = await startTestServer({ ACCESS_TOKEN_TTL_SECONDS: '900', AUTH_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '1' });
  });
  afterAll(async () => server.close());

  it('answers an expired access token with 401 token_expired, and refresh cures it', async () => {
    const user = await registerUser(server, 'Gus');
    // Used once while fresh: the server remembers it as verified, and must still see it expire.
    expect((await request(server, 'GET', '/api/auth/me', { token: user.token })).status).toBe(200);
    server.advanceClock(16 * 60 * 1000);
    const expired = await request(server, 'GET', '/api/auth/me', { token: user.token });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('token_expired');

    const refreshed = await request(server, 'POST', '/api/auth/refresh', { headers: { cookie: user.refreshCookie } });
    expect(refreshed.status).toBe(200);
    const me = await request(server, 'GET', '/api/auth/me', { token: refreshed.body.accessToken });
    expect(me.status).toBe(200);
  });

  it('rate limits sign-in attempts per account with 429 and Retry-After', async () => {
    const email = `target.${Date.now()}@example.test`;
    const from = (n: number) => ({ 'x-forwarded-for': `198.51.100.${n}` });
    const statuses: number[] = [];
    let last;
    for (let attempt = 0; attempt < 4; attempt++) {
      // Each attempt from another address: no address reaches the limit, only the account does.
      last = await request(server, 'POST', '/api/auth/login', { body: { email, password: 'guess number x' }, headers: from(attempt + 1) });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses[3]).toBe(429);
    expect(last?.body.error.code).toBe('rate_limited');
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);

    // The address that was refused is not limited itself: another account may still try from it.
    // Were the forwarded addresses ignored, all five requests would share one address and this would be 429.
    const otherAccount = await request(server, 'POST', '/api/auth/login', {
      body: { email: `other.${Date.now()}@example.test`, password: 'guess number x' },
      headers: from(4),
    });
    expect(otherAccount.status).toBe(401);

    // A new window lets the account try again.
    server.advanceClock(61_000);
    const later = await request(server, 'POST', '/api/auth/login', { body: { email, password: 'guess number y' }, headers: from(5) });
    expect(later.status).toBe(401);
  });

  it('rate limits registrations per IP', async () => {
    server.advanceClock(61_000);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await request(server, 'POST', '/api/auth/register', {
        body: { email: `ip.${attempt}.${Date.now()}@example.test`, password: 'long enough pw', displayName: `IP ${attempt}` },
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });
});
