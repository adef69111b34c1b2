/**
 * Who was signed in last, so the app can open offline. Only the id and name are kept: never a
 * token, which lives in memory only.
 */
export interface LastUser {
  id: string;
  displayName: string;
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
      return { id: value.id, displayName: value.displayName };
    }
  } catch {
    // Unreadable storage (private mode, corrupt JSON) just means no remembered user.
  }
  return null;
}

export function writeLastUser(user: LastUser): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ id: user.id, displayName: user.displayName }));
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
