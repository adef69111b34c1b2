import { describe, expect, it } from 'vitest';
import { parseSession, sessionForEvent, SESSION_IDLE_MS } from './analytics-session';

const ids = () => {
  let n = 0;
  return () => `session-${++n}`;
};

describe('analytics sessions', () => {
  it('starts one at the first event', () => {
    expect(sessionForEvent(null, 1_000, ids())).toEqual({ id: 'session-1', lastEventAt: 1_000 });
  });

  it('continues while events come less than 30 minutes apart, however long it runs', () => {
    const newId = ids();
    let session = sessionForEvent(null, 0, newId);
    for (let at = 29 * 60_000; at < 5 * 3_600_000; at += 29 * 60_000) session = sessionForEvent(session, at, newId);
    expect(session.id).toBe('session-1');
  });

  it('starts a new one after 30 minutes idle, exactly at the limit', () => {
    const newId = ids();
    const first = sessionForEvent(null, 0, newId);
    expect(sessionForEvent(first, SESSION_IDLE_MS - 1, newId).id).toBe('session-1');
    expect(sessionForEvent(first, SESSION_IDLE_MS, newId)).toEqual({ id: 'session-2', lastEventAt: SESSION_IDLE_MS });
  });

  it('survives a small clock step back, but not one past the idle time', () => {
    const newId = ids();
    const first = sessionForEvent(null, 10 * SESSION_IDLE_MS, newId);
    expect(sessionForEvent(first, 10 * SESSION_IDLE_MS - 60_000, newId)).toEqual({ id: 'session-1', lastEventAt: 10 * SESSION_IDLE_MS });
    expect(sessionForEvent(first, 8 * SESSION_IDLE_MS, newId).id).toBe('session-2');
  });

  it('reads back what it stored, and nothing from garbage', () => {
    expect(parseSession(JSON.stringify({ id: 'a', lastEventAt: 5 }))).toEqual({ id: 'a', lastEventAt: 5 });
    expect(parseSession(null)).toBeNull();
    expect(parseSession('{')).toBeNull();
    expect(parseSession(JSON.stringify({ id: 1, lastEventAt: 5 }))).toBeNull();
  });
});
