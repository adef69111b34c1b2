import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ActivityIdParams, CreateActivityBody, InviteBody, ListActivitiesQuery, UpdateActivityBody, type ActivityView } from '../../protocol';
import type { ActivityQueries } from '../activities/activity-queries';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest } from '../auth/authenticate';
import { notFound, parseInput } from '../http/app-error';
import { readWriteIdentity } from '../http/idempotency-key';
import type { MutationService } from '../mutations/mutation-service';
import type { WriteCommand, WriteResult } from '../mutations/write-commands';

/**
 * The REST face of activities. Reads go to the queries; every write is a command of the mutation
 * service, so it is conflict-checked, committed and broadcast as a client's mutation is. A REST
 * call carries no client mutation id: with an `Idempotency-Key` header it is recorded under that
 * key (a repeat gets the first answer); without one it is applied once and not recorded.
 */
export function registerActivityRoutes(
  app: FastifyInstance,
  deps: { tokens: AccessTokenIssuer; queries: ActivityQueries; mutations: MutationService; now: () => Date },
): void {
  const { queries, tokens, mutations } = deps;
  const idOf = (request: FastifyRequest) => parseInput(ActivityIdParams, request.params, 'activity id').activityId;
  // Authenticated first, then parsed: a stranger learns nothing about what a request got wrong.
  const write = async (request: FastifyRequest, command: () => WriteCommand) => {
    const viewer = await authenticateRequest(request, tokens);
    return mutations.applyCommand(viewer, command(), readWriteIdentity(request));
  };

  app.get('/api/activities', async (request) => {
    const viewer = await authenticateRequest(request, tokens);
    return queries.list(viewer, parseInput(ListActivitiesQuery, request.query, 'query'));
  });

  app.get('/api/activities/:activityId', async (request) => {
    return queries.get(await authenticateRequest(request, tokens), idOf(request));
  });

  app.get('/api/activities/:activityId/members', async (request) => {
    return queries.members(await authenticateRequest(request, tokens), idOf(request));
  });

  app.post('/api/activities', async (request, reply) => {
    const created = await write(request, () => ({ name: 'activity.create', fields: parseInput(CreateActivityBody, request.body, 'activity') }));
    return reply.status(201).send(visible(created));
  });

  app.patch('/api/activities/:activityId', async (request) => {
    const edited = await write(request, () => {
      const id = idOf(request);
      const { baseVersion, ...changes } = parseInput(UpdateActivityBody, request.body, 'activity');
      // A stale baseVersion is refused (409 with the current copy); an edit without one cannot conflict.
      return { name: 'activity.update', id, edit: { changes, baseVersion, base: undefined, strategy: 'fail-on-conflict', editedAt: deps.now().toISOString() } };
    });
    return visible(edited);
  });

  app.delete('/api/activities/:activityId', async (request, reply) => {
    await write(request, () => ({ name: 'activity.delete', id: idOf(request) }));
    return reply.status(204).send();
  });

  app.post('/api/activities/:activityId/join', async (request) => visible(await write(request, () => ({ name: 'activity.join', id: idOf(request) }))));

  app.delete('/api/activities/:activityId/join', async (request) => {
    const left = await write(request, () => ({ name: 'activity.leave', id: idOf(request) }));
    // Leaving a private activity takes it out of sight: the answer still says how it was left.
    if (left.outOfSight) return { ...left.outOfSight, viewer: { liked: false, joined: false, checkedIn: false, invited: false, isOwner: false } };
    return visible(left);
  });

  app.put('/api/activities/:activityId/like', async (request) => visible(await write(request, () => ({ name: 'activity.like', id: idOf(request) }))));

  app.delete('/api/activities/:activityId/like', async (request) => visible(await write(request, () => ({ name: 'activity.unlike', id: idOf(request) }))));

  app.post('/api/activities/:activityId/invites', async (request, reply) => {
    const viewer = await authenticateRequest(request, tokens);
    const activityId = idOf(request);
    const { userId } = parseInput(InviteBody, request.body, 'invitation');
    await mutations.applyCommand(viewer, { name: 'activity.invite', id: activityId, userId }, readWriteIdentity(request));
    return reply.status(201).send({ activityId, userId });
  });
}

/** The activity as the writer sees it after the write; one they no longer see is a 404, as on a read. */
function visible(result: WriteResult): ActivityView {
  if (!result.view) throw notFound('Activity');
  return result.view;
}
