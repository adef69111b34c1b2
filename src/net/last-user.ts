/**
 * Who was signed in last, so the app can open offline. Only the id, the name and the session's id
 * (which can end the session, never open one) are kept: never a token, which lives in memory only.
 */
export interface LastUser {
  id: string;
  displayName: string;
  /** Lets a sign-out made offline end this session later (absent when written by an older page). */
  sessionId?: string;
}

const STORAGE_KEY = 'rally:lastUser';

export function readLastUser(): LastUser | null {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (
      typeof value === 'object' && value !== null &&
      'id' in value && typeof value.id === 'string' &&
      'displayName' in value && typeof value.displayName === 'string'
    ) {
      const sessionId = 'sessionId' in value && typeof value.sessionId === 'string' ? value.sessionId : undefined;
      return { id: value.id, displayName: value.displayName, ...(sessionId ? { sessionId } : {}) };
    }
  } catch {
    // Unreadable storage (private mode, corrupt JSON) just means no remembered user.
  }
  return null;
}

export function writeLastUser(user: LastUser): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ id: user.id, displayName: user.displayName, sessionId: user.sessionId }));
  } catch {
    // Storage full or disabled: offline start-up will not work, everything else does.
  }
}

export function clearLastUser(): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing to clear if storage is unavailable.
  }
}
