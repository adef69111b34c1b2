import type { FastifyInstance } from 'fastify';
import { UserIdParams, UserSearchQuery, type UserList } from '../../protocol';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest } from '../auth/authenticate';
import { notFound, parseInput } from '../http/app-error';
import type { UserService } from '../users/user-service';

export function registerUserRoutes(app: FastifyInstance, deps: { users: UserService; tokens: AccessTokenIssuer }): void {
  app.get('/api/users', async (request) => {
    await authenticateRequest(request, deps.tokens);
    const { q } = parseInput(UserSearchQuery, request.query, 'query');
    const body: UserList = { items: await deps.users.search(q) };
    return body;
  });

  app.get('/api/users/:userId', async (request) => {
    await authenticateRequest(request, deps.tokens);
    const { userId } = parseInput(UserIdParams, request.params, 'user id');
    const profile = await deps.users.profileOf(userId);
    if (!profile) throw notFound('User');
    return profile;
  });
}
