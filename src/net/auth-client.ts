import type { AuthSession, LoginBody, LogoutBody, RegisterBody } from '../../protocol';
import { REFRESH_LOCK_NAME } from '../../protocol/send-policy';
import { networkError, readApiError } from './api-error';
import { clearLastUser, readLastUser, writeLastUser } from './last-user';
import { ObservableValue, useObservableValue } from './observable-value';
import { COOKIE_SESSION, forgetSignOut, noteSignedIn, onSignedOutElsewhere, pendingSignOuts, rememberSignOut, signedOutHere } from './sign-out-memory';

/**
 * The page's session: the access token (memory only), who is signed in, and when to refresh.
 * The refresh token is an httpOnly cookie the page never sees; POST /api/auth/refresh trades it
 * for a new access token and a rotated cookie.
 *
 * Signing out holds on this device at once, whatever the network: the browser remembers it
 * (`sign-out-memory.ts`) and never restores a session from the cookie again until someone signs in
 * with a password, while the server is told to end the session as soon as it can be reached (here,
 * and through the service worker's queue when no page is open).
 */

export interface SessionUser {
  id: string;
  displayName: string;
  email: string | null;
}

/**
 * token: 'ready' when requests can be made; 'pending' while a remembered user's session is being
 * restored (screens already render from the device); 'offline' when the server could not be
 * reached (the device keeps working from its own data and retries).
 */
export type TokenState = 'ready' | 'pending' | 'offline';

export type SessionState =
  | { status: 'restoring' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; user: SessionUser; token: TokenState };

export type RefreshOutcome = 'refreshed' | 'signed-out' | 'offline';

const EARLY_REFRESH_MS = 60_000;
const MIN_REFRESH_DELAY_MS = 5_000;
/** How often an offline session tries to reach the server again (the `online` event also does). */
const OFFLINE_RETRY_MS = 20_000;

/** A remembered user is shown at once (phase one of start-up); the token follows. */
function initialSession(): SessionState {
  const lastUser = readLastUser();
  return lastUser ? { status: 'signed-in', user: { ...lastUser, email: null }, token: 'pending' } : { status: 'restoring' };
}

export const session = new ObservableValue<SessionState>(initialSession());

/** `token`: the access token the user had (null offline), for goodbyes that need it (unregistering push). */
type SignedOutListener = (userId: string, token: string | null) => void | Promise<void>;
const signedOutListeners: SignedOutListener[] = [];

/** Runs after an explicit sign-out, with the id of the user who left (to delete their data). */
export function onSignedOut(listener: SignedOutListener): void {
  signedOutListeners.push(listener);
}

let accessToken: string | null = null;
/** The signed-in session's id (not a secret: it can only end the session). */
let sessionId: string | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshInFlight: Promise<RefreshOutcome> | null = null;

export function useSession(): SessionState {
  return useObservableValue(session);
}

export function currentAccessToken(): string | null {
  return accessToken;
}

function adoptSession(auth: AuthSession): void {
  accessToken = auth.accessToken;
  sessionId = auth.sessionId;
  const user: SessionUser = { id: auth.user.id, displayName: auth.user.displayName, email: auth.user.email };
  writeLastUser({ ...user, sessionId });
  session.set({ status: 'signed-in', user, token: 'ready' });
  scheduleRefresh(Date.parse(auth.accessTokenExpiresAt));
}

function dropSession(): void {
  accessToken = null;
  sessionId = undefined;
  clearTimeout(refreshTimer);
  clearLastUser();
  session.set({ status: 'signed-out' });
}

/** Refresh about a minute early, or at 80% of the lifetime when tokens are short-lived. */
function scheduleRefresh(expiresAt: number): void {
  clearTimeout(refreshTimer);
  const lifetime = expiresAt - Date.now();
  const delay = Math.max(MIN_REFRESH_DELAY_MS, lifetime - EARLY_REFRESH_MS, lifetime * 0.8);
  refreshTimer = setTimeout(() => void refreshSession(), delay);
}

function goOffline(): void {
  accessToken = null;
  const state = session.get();
  const user = state.status === 'signed-in' ? state.user : rememberedUser();
  session.set(user ? { status: 'signed-in', user, token: 'offline' } : { status: 'signed-out' });
  clearTimeout(refreshTimer);
  if (user) refreshTimer = setTimeout(() => void refreshSession(), OFFLINE_RETRY_MS);
}

function rememberedUser(): SessionUser | null {
  const lastUser = readLastUser();
  return lastUser ? { ...lastUser, email: null } : null;
}

async function postAuth(path: string, body?: LoginBody | RegisterBody): Promise<Response> {
  try {
    return await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      ...(body ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw networkError();
  }
}

/**
 * The auth schema (zod) loads when the first answer is there to check, not with the page: the
 * first paint needs no schema (issue 13). Its chunk is precached, so this works offline too.
 */
async function parseAuthSession(body: unknown): Promise<AuthSession> {
  await import('./zod-without-eval');
  const { AuthSession } = await import('../../protocol/auth');
  return AuthSession.parse(body);
}

async function requestRefresh(): Promise<RefreshOutcome> {
  // Someone signed out here: the cookie, if the server has not ended it yet, restores nobody.
  if (signedOutHere()) {
    dropSession();
    return 'signed-out';
  }
  let response: Response;
  try {
    response = await postAuth('/api/auth/refresh');
  } catch {
    goOffline();
    return 'offline';
  }
  if (response.ok) {
    const auth = await parseAuthSession(await response.json());
    // Another tab signed out while this refresh was on its way: the answer restores nobody.
    if (signedOutHere()) {
      dropSession();
      return 'signed-out';
    }
    adoptSession(auth);
    return 'refreshed';
  }
  if (response.status === 401 || response.status === 403) {
    dropSession();
    return 'signed-out';
  }
  // 5xx or 429: the server is there but unwell; keep the user and try again later.
  goOffline();
  return 'offline';
}

/**
 * Single-flight: every caller during a refresh shares it. The Web Lock keeps two tabs from
 * rotating the same refresh cookie at once (the second would look like token reuse).
 */
export function refreshSession(): Promise<RefreshOutcome> {
  refreshInFlight ??= (
    'locks' in navigator
      ? navigator.locks.request(REFRESH_LOCK_NAME, requestRefresh)
      : requestRefresh()
  ).finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

/** On start-up: trade the refresh cookie (if any) for a session. */
export function restoreSession(): Promise<RefreshOutcome> {
  return refreshSession();
}

async function authenticate(path: string, body: LoginBody | RegisterBody): Promise<SessionUser> {
  const response = await postAuth(path, body);
  if (!response.ok) throw await readApiError(response);
  const auth = await parseAuthSession(await response.json());
  noteSignedIn();
  adoptSession(auth);
  void sendPendingSignOuts();
  return { id: auth.user.id, displayName: auth.user.displayName, email: auth.user.email };
}

export function signIn(body: LoginBody): Promise<SessionUser> {
  return authenticate('/api/auth/login', body);
}

export function register(body: RegisterBody): Promise<SessionUser> {
  return authenticate('/api/auth/register', body);
}

/**
 * Signs out on this device at once (the session is dropped, the user's data deleted by the
 * listeners, the sign-out remembered) and tells the server to end the session now or, offline,
 * as soon as it can be reached.
 */
export async function signOut(): Promise<void> {
  const state = session.get();
  const userId = state.status === 'signed-in' ? state.user.id : null;
  const token = accessToken;
  rememberSignOut(sessionId ?? readLastUser()?.sessionId);
  dropSession();
  void sendPendingSignOuts();
  if (userId) await Promise.all(signedOutListeners.map((listener) => listener(userId, token)));
}

let sendingSignOuts: Promise<void> | null = null;

/**
 * Ends on the server every session signed out on this device. Offline, each stays remembered (and
 * the service worker keeps the failed request for its background sync); the next page open, the
 * `online` event or the next sign-in sends it again. Ending a session twice is harmless.
 */
export function sendPendingSignOuts(): Promise<void> {
  sendingSignOuts ??= (async () => {
    for (const id of pendingSignOuts()) {
      const body: LogoutBody | undefined = id === COOKIE_SESSION ? undefined : { sessionId: id };
      let response: Response;
      try {
        response = await fetch('/api/auth/logout', {
          method: 'POST',
          credentials: 'same-origin',
          ...(body ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
        });
      } catch {
        return;
      }
      // The server is there but unwell: keep it for the next try. Any other answer is final.
      if (response.status >= 500 || response.status === 429) return;
      forgetSignOut(id);
    }
  })().finally(() => {
    sendingSignOuts = null;
  });
  return sendingSignOuts;
}

// A page opening sends what an earlier one could not.
void sendPendingSignOuts();

// A sign-out in another tab holds in this one too.
onSignedOutElsewhere(() => {
  if (session.get().status !== 'signed-out') dropSession();
});

// An offline session retries as soon as the device says it is back.
window.addEventListener('online', () => {
  void sendPendingSignOuts();
  const state = session.get();
  if (state.status === 'signed-in' && state.token === 'offline') void refreshSession();
});
