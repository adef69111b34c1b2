import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCookieOf, registerUser, request, startTestServer, type TestServer } from '../harness';

/**
 * A refresh that fails must not sign anyone out unless the session really is over: an answer lost
 * on a flaky network, or a database that is briefly unwell, is not theft.
 */
describe('refresh failures do not sign people out', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ACCESS_TOKEN_TTL_SECONDS: '900' });
  });
  afterAll(async () => server.close());

  const refresh = (cookie: string) => request(server, 'POST', '/api/auth/refresh', { headers: { cookie } });
  const refreshCookiesSet = (headers: Headers) => headers.getSetCookie().filter((c) => c.startsWith('rally_refresh='));

  it('answers a token presented again within the grace window with the same successor', async () => {
    const user = await registerUser(server, 'Lost Answer');
    const first = await refresh(user.refreshCookie);
    expect(first.status).toBe(200);
    const successor = refreshCookieOf(first.headers);
    expect(successor).not.toBe(user.refreshCookie);

    // The first answer never reached the device; it tries again with the token it still has.
    server.advanceClock(1_000);
    const repeat = await refresh(user.refreshCookie);
    expect(repeat.status).toBe(200);
    expect(refreshCookieOf(repeat.headers)).toBe(successor);
    // One session throughout: the family's id names it on every answer.
    expect(first.body.sessionId).toBe(user.session.sessionId);
    expect(repeat.body.sessionId).toBe(user.session.sessionId);

    // The successor is live and rotates as usual.
    const next = await refresh(successor);
    expect(next.status).toBe(200);
    expect(next.body.sessionId).toBe(user.session.sessionId);
    expect(refreshCookieOf(next.headers)).not.toBe(successor);
  });

  it('treats the rotated token presented after the window as theft and ends the family', async () => {
    const user = await registerUser(server, 'Late Replay');
    const first = await refresh(user.refreshCookie);
    expect(first.status).toBe(200);
    const successor = refreshCookieOf(first.headers);

    server.advanceClock(15_000);
    const replay = await refresh(user.refreshCookie);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('refresh_reused');

    const afterRevocation = await refresh(successor);
    expect(afterRevocation.status).toBe(401);
  });

  it('answers 503 and keeps the cookie when the database fails during a refresh', async () => {
    const user = await registerUser(server, 'Unwell Database');
    const db = server.app.database.db;
    // A real failure, not a mock: the table the refresh reads is taken away for the moment.
    await sql`alter table refresh_tokens rename to refresh_tokens_away`.execute(db);
    let failed;
    try {
      failed = await refresh(user.refreshCookie);
    } finally {
      await sql`alter table refresh_tokens_away rename to refresh_tokens`.execute(db);
    }
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('unavailable');
    expect(refreshCookiesSet(failed.headers)).toEqual([]);

    // The session survived the outage: the same cookie still refreshes.
    const later = await refresh(user.refreshCookie);
    expect(later.status).toBe(200);
    expect(later.body.sessionId).toBe(user.session.sessionId);
  });
});
