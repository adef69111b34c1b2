import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { AuthSession, LoginBody, RegisterBody } from '../../protocol';
import type { Db } from '../db/connect';
import { findRefreshTokenByHash, insertRefreshToken, markRotated, revokeFamily } from '../db/refresh-tokens-store';
import { findUserByEmail, findUserById, insertUser, toSelfUser } from '../db/users-store';
import type { RefreshTokensTable, UsersTable } from '../db/schema';
import { AppError } from '../http/app-error';
import type { AccessTokenIssuer } from './access-tokens';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords';
import { judgeRefresh } from './refresh-rotation';

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

/**
 * The token a refresh token rotates into: HMAC-SHA256 of it under a server secret. Only hashes
 * are stored, so the server cannot hand out a successor it keeps; deriving it instead lets a
 * repeat of the old token (its answer was lost) recompute the very same successor and find its
 * row. Without the secret, neither a stolen token nor a read of the table predicts it.
 */
export function successorRefreshToken(key: Uint8Array, token: string): string {
  return createHmac('sha256', key).update(token).digest('base64url');
}

export function createSessionService(deps: {
  db: Db;
  tokens: AccessTokenIssuer;
  refreshTtlSeconds: number;
  /** The server secret successors are derived under; a key of its own is made from it. */
  secret: Uint8Array;
  now: () => Date;
  /** A session ended (sign-out, or a reused token revoked its family): its sockets must close. */
  onSessionEnded?: (sessionId: string) => void;
}): SessionService {
  const { db, tokens, now } = deps;
  // Domain separation: the same secret signs access tokens, and nothing signed there should be a successor.
  const successorKey = createHmac('sha256', deps.secret).update('rally refresh-token successor').digest();
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
    return answerWith(user, familyId, refreshToken, refreshExpiresAt);
  }

  async function answerWith(user: UsersTable, familyId: string, refreshToken: string, refreshExpiresAt: Date): Promise<SessionResult> {
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

  type Settled = { kind: 'signed_out' } | { kind: 'reused'; familyId: string } | { kind: 'issued'; successor: RefreshTokensTable };

  /**
   * Rotation in one transaction: the old token is marked used and its successor stored together,
   * so a failure between the two cannot leave a used token with no successor (which the retry
   * would read as theft). The conditional UPDATE lets one of two concurrent twins win; the other
   * waits for its commit, reads again and finds the successor, as a repeat would.
   */
  async function settleRefresh(refreshToken: string, at: Date): Promise<Settled> {
    const presentedHash = hashRefreshToken(refreshToken);
    const successorToken = successorRefreshToken(successorKey, refreshToken);
    const successorHash = hashRefreshToken(successorToken);
    return db.transaction().execute(async (trx) => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const presented = await findRefreshTokenByHash(trx, presentedHash);
        const successor = presented?.rotatedAt ? await findRefreshTokenByHash(trx, successorHash) : undefined;
        const decision = judgeRefresh(presented, successor, at);
        if (decision === 'signed_out') return { kind: 'signed_out' };
        if (decision === 'repeat' && successor) return { kind: 'issued', successor };
        if (decision === 'reused' && presented) {
          // A used token came back: either it was stolen or a copy leaked. Either way nobody
          // holding any token of this family can be trusted any more.
          await revokeFamily(trx, presented.familyId, at.toISOString());
          return { kind: 'reused', familyId: presented.familyId };
        }
        if (decision === 'rotate' && presented && (await markRotated(trx, presented.id, at.toISOString()))) {
          const row: RefreshTokensTable = {
            id: randomUUID(),
            familyId: presented.familyId,
            userId: presented.userId,
            tokenHash: successorHash,
            createdAt: at.toISOString(),
            expiresAt: new Date(at.getTime() + deps.refreshTtlSeconds * 1000).toISOString(),
            rotatedAt: null,
            revokedAt: null,
          };
          await insertRefreshToken(trx, row);
          return { kind: 'issued', successor: row };
        }
        // A twin rotated it between our read and our update: read again, now past its commit.
      }
      return { kind: 'signed_out' };
    });
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
      const settled = await settleRefresh(refreshToken, now());
      // Thrown only after the commit, so the family's revocation stands.
      if (settled.kind === 'reused') {
        deps.onSessionEnded?.(settled.familyId);
        throw new AppError('refresh_reused', 'This session was used elsewhere and has been ended; sign in again');
      }
      if (settled.kind === 'signed_out') throw signedOut();
      const user = await findUserById(db, settled.successor.userId);
      if (!user) throw signedOut();
      return answerWith(
        user,
        settled.successor.familyId,
        successorRefreshToken(successorKey, refreshToken),
        new Date(settled.successor.expiresAt),
      );
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
