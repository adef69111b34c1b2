import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { AccessTokenClaims } from '../../protocol';
import { AppError } from '../http/app-error';

export interface AccessTokenIssuer {
  issue(user: { id: string; displayName: string }, sessionId: string): Promise<{ token: string; expiresAt: Date }>;
  /** The token's claims, or an AppError `token_expired` / `unauthorized`. */
  verify(token: string): Promise<AccessTokenClaims>;
}

const ISSUER = 'rally';
const AUDIENCE = 'rally-api';
/** How many verified tokens are remembered (about 300 bytes each); the oldest go first. */
const VERIFIED_CAPACITY = 10_000;

export function createAccessTokenIssuer(secret: Uint8Array, ttlSeconds: number, now: () => Date): AccessTokenIssuer {
  // A device sends the same token with every request for its 15 minutes; checking its signature
  // (an HMAC through WebCrypto's async job queue) and its claims each time was a tenth of a write's
  // CPU. A token's text fixes its claims, so one verified before only needs its expiry checked
  // again, as jose checks it: expired once `exp` is at or before the current second.
  const verified = new Map<string, AccessTokenClaims & { exp: number }>();
  const stillValid = (claims: { exp: number }) => claims.exp > Math.floor(now().getTime() / 1000);
  const remember = (token: string, claims: AccessTokenClaims) => {
    if (claims.exp === undefined) return;
    if (verified.size >= VERIFIED_CAPACITY) verified.delete(verified.keys().next().value!);
    verified.set(token, { ...claims, exp: claims.exp });
  };
  return {
    async issue(user, sessionId) {
      const issuedAt = Math.floor(now().getTime() / 1000);
      const expiresAt = new Date((issuedAt + ttlSeconds) * 1000);
      const token = await new SignJWT({ name: user.displayName, sid: sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(user.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttlSeconds)
        .sign(secret);
      return { token, expiresAt };
    },
    async verify(token) {
      const known = verified.get(token);
      if (known && stillValid(known)) return known;
      try {
        const { payload } = await jwtVerify(token, secret, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ['HS256'],
          currentDate: now(),
        });
        const claims = AccessTokenClaims.safeParse(payload);
        if (!claims.success) throw new AppError('unauthorized', 'Access token is not valid');
        remember(token, claims.data);
        return claims.data;
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (error instanceof joseErrors.JWTExpired) {
          throw new AppError('token_expired', 'Access token has expired; refresh it');
        }
        throw new AppError('unauthorized', 'Access token is not valid');
      }
    },
  };
}
