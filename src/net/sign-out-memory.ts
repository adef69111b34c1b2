/**
 * What this browser remembers about signing out, in localStorage so it outlives the tab:
 *
 * - that someone signed out here: from then on the page never trades the refresh cookie for a
 *   session (the cookie may still be alive if the sign-out could not reach the server) until
 *   someone signs in with a password;
 * - which sessions still have to be ended on the server: their ids, sent when the network allows
 *   (`rally:pendingSignOuts`). `COOKIE_SESSION` stands for "whatever session the cookie holds",
 *   for a session whose id this page never learnt (remembered by an older page); it is dropped
 *   when someone signs in, since the new cookie then belongs to them.
 */

const SIGNED_OUT_KEY = 'rally:signedOut';
const PENDING_KEY = 'rally:pendingSignOuts';
export const COOKIE_SESSION = 'cookie';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage disabled: the sign-out still holds in this tab's memory (the session is dropped).
  }
}

export function signedOutHere(): boolean {
  return read(SIGNED_OUT_KEY) !== null;
}

export function pendingSignOuts(): string[] {
  try {
    const value: unknown = JSON.parse(read(PENDING_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

function writePending(ids: string[]): void {
  write(PENDING_KEY, ids.length > 0 ? JSON.stringify(ids) : null);
}

/** Someone signed out on this device: hold it here at once, and end `sessionId` when possible. */
export function rememberSignOut(sessionId: string | undefined): void {
  const id = sessionId ?? COOKIE_SESSION;
  writePending([...pendingSignOuts().filter((pending) => pending !== id), id]);
  write(SIGNED_OUT_KEY, new Date().toISOString());
}

/** The server has ended this session (or it never can be): stop sending it. */
export function forgetSignOut(sessionId: string): void {
  writePending(pendingSignOuts().filter((pending) => pending !== sessionId));
}

/** Someone signed in with a password: the cookie is theirs now. */
export function noteSignedIn(): void {
  write(SIGNED_OUT_KEY, null);
  forgetSignOut(COOKIE_SESSION);
}

/** Another tab of this browser signed out. */
export function onSignedOutElsewhere(listener: () => void): void {
  window.addEventListener('storage', (event) => {
    if (event.key === SIGNED_OUT_KEY && event.newValue !== null) listener();
  });
}
