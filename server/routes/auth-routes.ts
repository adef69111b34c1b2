import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LoginBody, LogoutBody, MeResponse, REFRESH_COOKIE_NAME, REFRESH_COOKIE_PATH, RegisterBody } from '../../protocol';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest } from '../auth/authenticate';
import type { RateLimiter } from '../auth/rate-limiter';
import { isRefreshCookieSecure } from '../auth/refresh-cookie';
import { isCrossSiteRequest } from '../auth/request-origin';
import type { SessionResult, SessionService } from '../auth/sessions';
import { AppError, parseInput } from '../http/app-error';
import type { UserService } from '../users/user-service';

export interface AuthRouteDeps {
  users: UserService;
  sessions: SessionService;
  tokens: AccessTokenIssuer;
  authLimiter: RateLimiter;
  allowedOrigins: string[];
  cookieSecure: 'auto' | boolean;
}

export function registerAuthRoutes(app: FastifyInstance, deps: AuthRouteDeps): void {
  const { sessions } = deps;

  /** Per IP and per account, so neither one address nor one victim's email can be hammered. */
  async function enforceAuthRateLimit(request: FastifyRequest, email: unknown): Promise<void> {
    const keys = [`ip:${request.ip}`];
    if (typeof email === 'string' && email.length > 0) keys.push(`account:${email.trim().toLowerCase()}`);
    for (const key of keys) {
      const { allowed, retryAfterSeconds } = await deps.authLimiter.hit(`${request.routeOptions.url}:${key}`);
      if (!allowed) {
        throw new AppError('rate_limited', `Too many attempts; try again in ${retryAfterSeconds} s`, {
          headers: { 'retry-after': String(retryAfterSeconds) },
        });
      }
    }
  }

  function refuseCrossSite(request: FastifyRequest): void {
    if (isCrossSiteRequest(request.headers, deps.allowedOrigins)) {
      throw new AppError('cross_site', 'Cross-site requests may not use the session cookie');
    }
  }

  function sendSession(request: FastifyRequest, reply: FastifyReply, result: SessionResult, status: number) {
    // protocol and hostname come from X-Forwarded-Proto/-Host only when the peer is a trusted proxy.
    const secure = isRefreshCookieSecure(deps.cookieSecure, request);
    void reply.setCookie(REFRESH_COOKIE_NAME, result.refreshToken, {
      httpOnly: true,
      secure,
      sameSite: 'strict',
      path: REFRESH_COOKIE_PATH,
      expires: result.refreshExpiresAt,
    });
    return reply.status(status).header('cache-control', 'no-store').send(result.session);
  }

  function clearSessionCookie(reply: FastifyReply): void {
    void reply.clearCookie(REFRESH_COOKIE_NAME, { path: REFRESH_COOKIE_PATH });
  }

  app.post('/api/auth/register', async (request, reply) => {
    await enforceAuthRateLimit(request, (request.body as { email?: unknown } | null)?.email);
    const body = parseInput(RegisterBody, request.body, 'registration');
    return sendSession(request, reply, await sessions.register(body), 201);
  });

  app.post('/api/auth/login', async (request, reply) => {
    await enforceAuthRateLimit(request, (request.body as { email?: unknown } | null)?.email);
    const body = parseInput(LoginBody, request.body, 'sign-in');
    return sendSession(request, reply, await sessions.login(body), 200);
  });

  app.post('/api/auth/refresh', async (request, reply) => {
    refuseCrossSite(request);
    let result: SessionResult;
    try {
      result = await sessions.refresh(request.cookies[REFRESH_COOKIE_NAME]);
    } catch (error) {
      // Only a 401 means the session is over. Anything else (the database unwell, a deploy) says
      // nothing about the cookie: clearing it would sign the person out for our failure.
      if (error instanceof AppError) {
        if (error.status === 401) clearSessionCookie(reply);
        throw error;
      }
      request.log.error({ err: error }, 'refresh failed');
      throw new AppError('unavailable', 'The session could not be refreshed just now; it is still valid, try again shortly');
    }
    return sendSession(request, reply, result, 200);
  });

  app.post('/api/auth/logout', async (request, reply) => {
    refuseCrossSite(request);
    const body = parseInput(LogoutBody, request.body ?? {}, 'sign-out');
    const { cookieEnded } = await sessions.logout(request.cookies[REFRESH_COOKIE_NAME], body.sessionId);
    if (cookieEnded) clearSessionCookie(reply);
    return reply.status(204).header('cache-control', 'no-store').send();
  });

  app.get('/api/auth/me', async (request) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    const user = await deps.users.selfOf(viewer.id);
    if (!user) throw new AppError('unauthorized', 'This account no longer exists');
    return MeResponse.parse({ user });
  });
}
