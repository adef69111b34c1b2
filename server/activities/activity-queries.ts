import { z } from 'zod';
import type { ActivityPage, ActivityView, ListActivitiesQuery, MemberList } from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import { listActivityViews, listMembers, type ActivityPosition } from '../db/activities-store';
import type { Db } from '../db/connect';
import { AppError } from '../http/app-error';
import { requireVisible } from './activity-context';

/** What the REST API reads about activities; writes go through the mutation service. */
export interface ActivityQueries {
  list(viewer: Viewer, query: ListActivitiesQuery): Promise<ActivityPage>;
  /** The activity if the viewer may see it, else a 404 (which does not reveal that it exists). */
  get(viewer: Viewer, id: string): Promise<ActivityView>;
  members(viewer: Viewer, id: string): Promise<MemberList>;
}

export function createActivityQueries(db: Db): ActivityQueries {
  return {
    async list(viewer, query) {
      const page = await listActivityViews(db, viewer.id, {
        scope: query.scope,
        userId: query.userId,
        limit: query.limit,
        after: query.cursor ? decodeListCursor(query.cursor) : undefined,
      });
      return { items: page.items, nextCursor: page.next ? encodeListCursor(page.next) : null };
    },
    get: (viewer, id) => requireVisible({ db }, viewer, id),
    async members(viewer, id) {
      await requireVisible({ db }, viewer, id);
      return { items: await listMembers(db, id) };
    },
  };
}

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
