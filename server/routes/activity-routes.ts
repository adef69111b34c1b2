import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ActivityIdParams,
  CreateActivityBody,
  InviteBody,
  ListActivitiesQuery,
  type ActivityPage,
  type MemberList,
} from '../../protocol';
import type { ActivityService } from '../activities/activity-service';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest } from '../auth/authenticate';
import { listActivityViews, listMembers, type ActivityPosition } from '../db/activities-store';
import type { Db } from '../db/connect';
import { AppError, parseInput } from '../http/app-error';
import { UpdateActivityBody } from '../../protocol';

const PositionCursor = z.tuple([z.string().max(40), z.uuid()]);

export function encodeListCursor(position: ActivityPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

function decodeListCursor(cursor: string): ActivityPosition {
  try {
    const [createdAt, id] = PositionCursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt, id };
  } catch {
    throw new AppError('invalid_input', 'The cursor is not one this server issued', { fields: { cursor: 'is invalid' } });
  }
}

export function registerActivityRoutes(
  app: FastifyInstance,
  deps: { db: Db; tokens: AccessTokenIssuer; activities: ActivityService },
): void {
  const { activities, db, tokens } = deps;
  const idOf = (params: unknown) => parseInput(ActivityIdParams, params, 'activity id').activityId;

  app.get('/api/activities', async (request) => {
    const viewer = await authenticateRequest(request, tokens);
    const query = parseInput(ListActivitiesQuery, request.query, 'query');
    const page = await listActivityViews(db, viewer.id, {
      scope: query.scope,
      userId: query.userId,
      limit: query.limit,
      after: query.cursor ? decodeListCursor(query.cursor) : undefined,
    });
    const body: ActivityPage = { items: page.items, nextCursor: page.next ? encodeListCursor(page.next) : null };
    return body;
  });

  app.post('/api/activities', async (request, reply) => {
    const viewer = await authenticateRequest(request, tokens);
    const body = parseInput(CreateActivityBody, request.body, 'activity');
    return reply.status(201).send(await activities.create(viewer, body));
  });

  app.get('/api/activities/:activityId', async (request) => {
    const viewer = await authenticateRequest(request, tokens);
    return activities.requireVisible(viewer, idOf(request.params));
  });

  app.patch('/api/activities/:activityId', async (request) => {
    const viewer = await authenticateRequest(request, tokens);
    const id = idOf(request.params);
    const { baseVersion, ...changes } = parseInput(UpdateActivityBody, request.body, 'activity');
    // A stale baseVersion is refused (409 with the current copy); without one the edit applies.
    const edit = { changes, baseVersion, base: undefined, strategy: 'fail-on-conflict' as const, editedAt: new Date().toISOString() };
    const { view } = await activities.edit(viewer, id, edit);
    return view ?? activities.requireVisible(viewer, id);
  });

  app.delete('/api/activities/:activityId', async (request, reply) => {
    const viewer = await authenticateRequest(request, tokens);
    await activities.remove(viewer, idOf(request.params));
    return reply.status(204).send();
  });

  app.post('/api/activities/:activityId/join', async (request) => {
    const viewer = await authenticateRequest(request, tokens);
    return activities.join(viewer, idOf(request.params));
  });

  app.delete('/api/activities/:activityId/join', async (request) => {
    const viewer = await authenticateRequest(request, tokens);
    const { view, activity } = await activities.leave(viewer, idOf(request.params));
    return view ?? { ...activity, viewer: { liked: false, joined: false, checkedIn: false, invited: false, isOwner: false } };
  });

  app.put('/api/activities/:activityId/like', async (request) => {
    const viewer = await authenticateRequest(request, tokens);
    return activities.like(viewer, idOf(request.params));
  });

  app.delete('/api/activities/:activityId/like', async (request) => {
    const viewer = await authenticateRequest(request, tokens);
    return activities.unlike(viewer, idOf(request.params));
  });

  app.get('/api/activities/:activityId/members', async (request) => {
    const viewer = await authenticateRequest(request, tokens);
    const id = idOf(request.params);
    await activities.requireVisible(viewer, id);
    const body: MemberList = { items: await listMembers(db, id) };
    return body;
  });

  app.post('/api/activities/:activityId/invites', async (request, reply) => {
    const viewer = await authenticateRequest(request, tokens);
    const id = idOf(request.params);
    const { userId } = parseInput(InviteBody, request.body, 'invitation');
    await activities.invite(viewer, id, userId);
    return reply.status(201).send({ activityId: id, userId });
  });
}
