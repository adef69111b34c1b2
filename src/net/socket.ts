import { io } from 'socket.io-client';
import { ConnectErrorData, PROTOCOL_VERSION, type SocketAuth } from '../../protocol';
import { currentAccessToken, refreshSession, session } from './auth-client';
import { readDeviceId } from '../../device-db/device-state';
import { followTransport, preferredTransports } from './socket-transport';
import { currentSocket, reconnectAttempt, socketStatus, updateRequired, type RallySocket } from './socket-state';

/**
 * Opens and closes the session's one socket. Loaded with the rest of what talks to the server
 * (src/app/local-data/OnlineParts.tsx), after the first paint; what screens read of the socket
 * is in socket-state.ts.
 */

/** Undoes the window listeners of the open socket. */
let stopFollowingNetwork: (() => void) | null = null;

/** Consecutive auth refusals; stops a refresh → refuse → refresh loop if the server keeps saying no. */
const MAX_AUTH_RETRIES = 3;

/** Opens the session's one socket; a no-op if it is already open. */
export function openSocket(): RallySocket {
  const existing = currentSocket.get();
  if (existing) return existing;

  const socket: RallySocket = io({
    // The callback runs on every (re)connect, so a refreshed token is always the one sent.
    // The device id tells the server this device is live, so it pushes nothing to it meanwhile.
    auth: (send) => {
      void readDeviceId()
        .catch(() => undefined)
        .then((deviceId) => send({ token: currentAccessToken() ?? '', protocolVersion: PROTOCOL_VERSION, ...(deviceId ? { deviceId } : {}) } satisfies SocketAuth));
    },
    // Backoff from 1 s to at most 5 s, ±50 % jitter (socket.io caps the jittered delay at the max).
    // The cap is 4.5 s so that the delay plus a refused attempt's own round trip (measured up to
    // ~200 ms here) keeps attempts under 5 s apart; an attempt that hangs gives up after 5 s.
    reconnectionDelay: 1000,
    reconnectionDelayMax: 4500,
    randomizationFactor: 0.5,
    timeout: 5000,
    transports: preferredTransports(),
  });
  let authRetries = 0;
  followTransport(socket);

  socketStatus.set('connecting');
  socket.on('connect', () => {
    authRetries = 0;
    reconnectAttempt.set(0);
    socketStatus.set('connected');
  });
  socket.on('disconnect', (reason) => {
    // socket.io does not come back by itself after the server said goodbye; a restart or a
    // deploy must not leave the page dark, so come back after a jittered second.
    if (reason === 'io server disconnect') {
      const delay = 1000 * (0.5 + Math.random());
      setTimeout(() => {
        if (currentSocket.get() === socket && !socket.connected && navigator.onLine) socket.connect();
      }, delay);
      socketStatus.set('connecting');
      return;
    }
    socketStatus.set(socket.active ? 'connecting' : 'disconnected');
  });
  socket.io.on('reconnect_attempt', (attempt) => {
    reconnectAttempt.set(attempt);
    socketStatus.set('connecting');
  });
  // No attempts while the browser says it is offline; one at once when it is back.
  const onOffline = () => {
    socket.disconnect();
    reconnectAttempt.set(0);
  };
  const onOnline = () => {
    if (!socket.connected) socket.connect();
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
  // The server closes a socket when its token expires: hand it each refreshed token first.
  let renewedWith = currentAccessToken();
  const stopRenewing = session.subscribe(() => {
    const token = currentAccessToken();
    if (!token || token === renewedWith || !socket.connected) return;
    renewedWith = token;
    socket.emit('auth:renew', { token }, () => undefined);
  });
  socket.on('connect', () => {
    renewedWith = currentAccessToken();
  });
  stopFollowingNetwork = () => {
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('online', onOnline);
    stopRenewing();
  };
  socket.on('connect_error', (error) => {
    // Refusals by the server's middleware are not retried by socket.io; network errors are.
    if (socket.active) {
      socketStatus.set('connecting');
      return;
    }
    const refusal = ConnectErrorData.safeParse((error as Error & { data?: unknown }).data);
    const code = refusal.success ? refusal.data.code : 'unauthorized';
    if (code === 'unsupported_protocol') {
      updateRequired.set(true);
      socketStatus.set('refused');
      return;
    }
    if (authRetries >= MAX_AUTH_RETRIES) {
      socketStatus.set('refused');
      return;
    }
    authRetries++;
    socketStatus.set('connecting');
    void refreshSession().then((outcome) => {
      if (outcome === 'refreshed' && currentSocket.get() === socket) socket.connect();
      else if (outcome !== 'refreshed') socketStatus.set('disconnected');
    });
  });

  currentSocket.set(socket);
  if (!navigator.onLine) socket.disconnect();
  return socket;
}

export function closeSocket(): void {
  const socket = currentSocket.get();
  if (!socket) return;
  stopFollowingNetwork?.();
  stopFollowingNetwork = null;
  socket.removeAllListeners();
  socket.io.removeAllListeners();
  socket.disconnect();
  currentSocket.set(null);
  reconnectAttempt.set(0);
  socketStatus.set('idle');
}
