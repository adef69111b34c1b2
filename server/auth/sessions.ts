import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AuthSession, LoginBody, RegisterBody } from '../../protocol';
import type { Db } from '../db/connect';
import { findRefreshTokenByHash, insertRefreshToken, markRotated, revokeFamily } from '../db/refresh-tokens-store';
import { findUserByEmail, findUserById, insertUser, toSelfUser } from '../db/users-store';
import type { UsersTable } from '../db/schema';
import { AppError } from '../http/app-error';
import type { AccessTokenIssuer } from './access-tokens';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords';

export interface SessionResult {
  session: AuthSession;
  /** The opaque refresh token for the cookie; only its hash is stored. */
  refreshToken: string;
  refreshExpiresAt: Date;
}

export interface SessionService {
  register(body: RegisterBody): Promise<SessionResult>;
  login(body: LoginBody): Promise<SessionResult>;
  refresh(refreshToken: string | undefined): Promise<SessionResult>;
  /**
   * Ends a session and says whether the cookie's token is now dead (so the cookie may be cleared).
   * `sessionId` names the session to end; the cookie's own session ends only when it is that one
   * (or none is named), because a sign-out replayed late must not end the next person's session.
   */
  logout(refreshToken: string | undefined, sessionId?: string): Promise<{ cookieEnded: boolean }>;
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createSessionService(deps: {
  db: Db;
  tokens: AccessTokenIssuer;
  refreshTtlSeconds: number;
  now: () => Date;
  /** A session ended (sign-out, or a reused token revoked its family): its sockets must close. */
  onSessionEnded?: (sessionId: string) => void;
}): SessionService {
  const { db, tokens, now } = deps;
  const invalidCredentials = () => new AppError('invalid_credentials', 'Email or password is incorrect');
  const signedOut = () => new AppError('unauthorized', 'Your session has ended; sign in again');

  async function openSession(user: UsersTable, familyId: string): Promise<SessionResult> {
    const refreshToken = randomBytes(32).toString('base64url');
    const createdAt = now();
    const refreshExpiresAt = new Date(createdAt.getTime() + deps.refreshTtlSeconds * 1000);
    await insertRefreshToken(db, {
      id: randomUUID(),
      familyId,
      userId: user.id,
      tokenHash: hashRefreshToken(refreshToken),
      createdAt: createdAt.toISOString(),
      expiresAt: refreshExpiresAt.toISOString(),
      rotatedAt: null,
      revokedAt: null,
    });
    const access = await tokens.issue(user, familyId);
    return {
      session: {
        accessToken: access.token,
        accessTokenExpiresAt: access.expiresAt.toISOString(),
        user: toSelfUser(user),
        sessionId: familyId,
      },
      refreshToken,
      refreshExpiresAt,
    };
  }

  return {
    async register(body) {
      const { hash, salt } = await hashPassword(body.password);
      const user: UsersTable = {
        id: randomUUID(),
        email: body.email,
        displayName: body.displayName,
        passwordHash: hash,
        passwordSalt: salt,
        createdAt: now().toISOString(),
      };
      if (!(await insertUser(db, user))) {
        throw new AppError('email_taken', 'An account with this email already exists', {
          fields: { email: 'is already registered' },
        });
      }
      return openSession(user, randomUUID());
    },

    async login(body) {
      const user = await findUserByEmail(db, body.email);
      const stored = user ? { hash: user.passwordHash, salt: user.passwordSalt } : decoyPasswordHash;
      const matches = await verifyPassword(body.password, stored);
      if (!user || !matches) throw invalidCredentials();
      return openSession(user, randomUUID());
    },

    async refresh(refreshToken) {
      if (!refreshToken) throw signedOut();
      const stored = await findRefreshTokenByHash(db, hashRefreshToken(refreshToken));
      if (!stored || stored.revokedAt !== null) throw signedOut();
      const at = now();
      if (stored.rotatedAt !== null || !(await markRotated(db, stored.id, at.toISOString()))) {
        // A used token came back: either it was stolen or a copy leaked. Either way nobody holding
        // any token of this family can be trusted any more.
        await revokeFamily(db, stored.familyId, at.toISOString());
        deps.onSessionEnded?.(stored.familyId);
        throw new AppError('refresh_reused', 'This session was used elsewhere and has been ended; sign in again');
      }
      if (Date.parse(stored.expiresAt) <= at.getTime()) throw signedOut();
      const user = await findUserById(db, stored.userId);
      if (!user) throw signedOut();
      return openSession(user, stored.familyId);
    },

    async logout(refreshToken, sessionId) {
      const stored = refreshToken ? await findRefreshTokenByHash(db, hashRefreshToken(refreshToken)) : undefined;
      const ending = sessionId ?? stored?.familyId;
      if (ending !== undefined) {
        await revokeFamily(db, ending, now().toISOString());
        deps.onSessionEnded?.(ending);
      }
      return { cookieEnded: stored === undefined || stored.familyId === ending };
    },
  };
}
