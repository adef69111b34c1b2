import type { FastifyRequest } from 'fastify';
import type { AccessTokenClaims } from '../../protocol';
import { AppError } from '../http/app-error';
import type { AccessTokenIssuer } from './access-tokens';

export interface Viewer {
  id: string;
  displayName: string;
  /** The refresh session the access token belongs to (what a push device registered by it is tied to). */
  sessionId?: string | undefined;
}

/** Reads and checks the Bearer token; every non-auth API route calls this first. */
export async function authenticateRequest(request: FastifyRequest, tokens: AccessTokenIssuer): Promise<Viewer> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) throw new AppError('unauthorized', 'Sign in first: send Authorization: Bearer <access token>');
  const claims: AccessTokenClaims = await tokens.verify(match[1]);
  return { id: claims.sub, displayName: claims.name, sessionId: claims.sid };
}
