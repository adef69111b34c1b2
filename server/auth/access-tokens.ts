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

export function createAccessTokenIssuer(secret: Uint8Array, ttlSeconds: number, now: () => Date): AccessTokenIssuer {
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
      try {
        const { payload } = await jwtVerify(token, secret, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ['HS256'],
          currentDate: now(),
        });
        const claims = AccessTokenClaims.safeParse(payload);
        if (!claims.success) throw new AppError('unauthorized', 'Access token is not valid');
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
