import type { FastifyInstance } from 'fastify';
import { UserIdParams, UserSearchQuery, type UserList } from '../../protocol';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest } from '../auth/authenticate';
import type { Db } from '../db/connect';
import { getUserProfile, searchUsers } from '../db/users-store';
import { notFound, parseInput } from '../http/app-error';

export function registerUserRoutes(app: FastifyInstance, deps: { db: Db; tokens: AccessTokenIssuer }): void {
  app.get('/api/users', async (request) => {
    await authenticateRequest(request, deps.tokens);
    const { q } = parseInput(UserSearchQuery, request.query, 'query');
    const body: UserList = { items: await searchUsers(deps.db, q) };
    return body;
  });

  app.get('/api/users/:userId', async (request) => {
    await authenticateRequest(request, deps.tokens);
    const { userId } = parseInput(UserIdParams, request.params, 'user id');
    const profile = await getUserProfile(deps.db, userId);
    if (!profile) throw notFound('User');
    return profile;
  });
}
