import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, request, startTestServer, type TestServer } from './harness';

/**
 * A sign-out made offline reaches the server late, sometimes after someone else has signed in on
 * the same browser (whose cookie it then carries). It names the session it ends, so it ends that
 * one and never the newcomer's.
 */
describe('sign-out by session id', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  const refreshWith = (cookie: string) => request(server, 'POST', '/api/auth/refresh', { headers: { cookie } });

  it('names the session in every sign-in and refresh', async () => {
    const ana = await registerUser(server, 'Ana');
    expect(ana.session.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const refreshed = await refreshWith(ana.refreshCookie);
    expect(refreshed.status).toBe(200);
    // Rotation keeps the session: one sign-in, one id, whatever the number of refreshes.
    expect(refreshed.body.sessionId).toBe(ana.session.sessionId);
    const login = await request(server, 'POST', '/api/auth/login', { body: { email: ana.email, password: ana.password } });
    expect(login.body.sessionId).not.toBe(ana.session.sessionId);
  });

  it('ends the named session without a cookie, and every token rotated from it', async () => {
    const ana = await registerUser(server, 'Bea');
    const rotated = await refreshWith(ana.refreshCookie);
    const rotatedCookie = /rally_refresh=[^;]+/.exec(rotated.headers.get('set-cookie') ?? '')?.[0];
    expect(rotatedCookie).toBeDefined();

    const logout = await request(server, 'POST', '/api/auth/logout', { body: { sessionId: ana.session.sessionId } });
    expect(logout.status).toBe(204);
    expect((await refreshWith(rotatedCookie ?? '')).status).toBe(401);
  });

  it("leaves the cookie's session alone when it is another one", async () => {
    const leaver = await registerUser(server, 'Cleo');
    const next = await registerUser(server, 'Dan');
    // The leaver's late sign-out arrives carrying the next person's cookie.
    const logout = await request(server, 'POST', '/api/auth/logout', {
      headers: { cookie: next.refreshCookie },
      body: { sessionId: leaver.session.sessionId },
    });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toBeNull();
    expect((await refreshWith(leaver.refreshCookie)).status).toBe(401);
    expect((await refreshWith(next.refreshCookie)).status).toBe(200);
  });

  it('ends the cookie and clears it when the cookie is the named session', async () => {
    const eve = await registerUser(server, 'Eve');
    const logout = await request(server, 'POST', '/api/auth/logout', {
      headers: { cookie: eve.refreshCookie },
      body: { sessionId: eve.session.sessionId },
    });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/rally_refresh=;/);
    expect((await refreshWith(eve.refreshCookie)).status).toBe(401);
  });

  it('accepts an unknown session id quietly and refuses a malformed one', async () => {
    expect((await request(server, 'POST', '/api/auth/logout', { body: { sessionId: randomUUID() } })).status).toBe(204);
    const bad = await request(server, 'POST', '/api/auth/logout', { body: { sessionId: 'not-an-id' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
    expect(bad.body.error.fields).toHaveProperty('sessionId');
  });
});
