import { createHmac } from 'node:crypto';
import type { IceServersResponse } from '../../protocol';
import type { CallSettings } from './call-config';

/**
 * TURN credentials in coturn's shared-secret scheme (`use-auth-secret`): the username is
 * `<unix expiry>:<user id>` and the password the base64 HMAC-SHA1 of that username under the
 * secret coturn also knows. No per-user state on either side, and a leaked pair stops working at
 * its expiry.
 */
export function turnCredentials(secret: string, userId: string, expiresAtSeconds: number): { username: string; credential: string } {
  const username = `${expiresAtSeconds}:${userId}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/** What `GET /api/calls/ice-servers` answers `userId` at `now`. */
export function iceServersFor(settings: CallSettings, userId: string, now: Date): IceServersResponse {
  const stun = settings.iceServerUrls.filter((url) => url.startsWith('stun'));
  const turn = settings.iceServerUrls.filter((url) => url.startsWith('turn'));
  const expiresAtSeconds = Math.floor(now.getTime() / 1000) + settings.turnCredentialTtlSeconds;
  // TURN without the secret cannot be used (coturn would refuse every allocation): leave it out.
  const withTurn = turn.length > 0 && settings.turnSecret !== undefined;
  return {
    iceServers: [
      ...(stun.length > 0 ? [{ urls: stun }] : []),
      ...(withTurn ? [{ urls: turn, ...turnCredentials(settings.turnSecret!, userId, expiresAtSeconds) }] : []),
    ],
    iceTransportPolicy: settings.iceTransportPolicy,
    loopbackOnly: settings.loopbackOnly,
    expiresAt: withTurn ? new Date(expiresAtSeconds * 1000).toISOString() : null,
  };
}
