/**
 * Analytics sessions, purely: an event continues the session of the event before it unless 30
 * minutes or more passed between them (the usual web-analytics rule: a lunch break, a phone in a
 * pocket), or the device's clock went backwards past it. The session is the device's, across
 * tabs and reloads: reopening Rally within the half hour continues it.
 */

export const SESSION_IDLE_MS = 30 * 60_000;

export interface AnalyticsSession {
  id: string;
  /** Time of its latest event (ms since the epoch). */
  lastEventAt: number;
}

export function sessionForEvent(previous: AnalyticsSession | null, now: number, newId: () => string): AnalyticsSession {
  if (previous && now - previous.lastEventAt < SESSION_IDLE_MS && now >= previous.lastEventAt - SESSION_IDLE_MS) {
    return { id: previous.id, lastEventAt: Math.max(now, previous.lastEventAt) };
  }
  return { id: newId(), lastEventAt: now };
}

/** Reads a session written by `writeSession`; anything unreadable means none. */
export function parseSession(text: string | null): AnalyticsSession | null {
  try {
    const value = JSON.parse(text ?? 'null') as unknown;
    if (typeof value === 'object' && value !== null && 'id' in value && 'lastEventAt' in value) {
      const { id, lastEventAt } = value as { id: unknown; lastEventAt: unknown };
      if (typeof id === 'string' && typeof lastEventAt === 'number' && Number.isFinite(lastEventAt)) return { id, lastEventAt };
    }
  } catch {
    // Corrupt storage: start a new session.
  }
  return null;
}
