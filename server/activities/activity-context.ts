import type { Kysely } from 'kysely';
import type { Activity, ActivityView } from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import { findActivity, findActivityView, findRelation } from '../db/activities-store';
import { takeNextSeq } from '../db/change-sequence';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { canViewActivity } from '../domain/activity-access';
import { notFound } from '../http/app-error';
import type { ActivityEvents, ChangeStamp } from './activity-events';

/** What every activity command runs on: the database (or a mutation's transaction), where events go, the clock. */
export interface ActivityContext {
  db: Db;
  events: ActivityEvents;
  now: () => Date;
}

export type Trx = Kysely<Database>;

export const activityNotFound = () => notFound('Activity');

/** The activity if the viewer may see it, else a 404 (which does not reveal that it exists). */
export async function requireVisible(ctx: Pick<ActivityContext, 'db'>, viewer: Viewer, id: string): Promise<ActivityView> {
  const view = await findActivityView(ctx.db, id, viewer.id);
  if (!view) throw activityNotFound();
  return view;
}

/** Loads the activity and the viewer's relation, refusing what they may not see. */
export async function loadForViewer(ctx: ActivityContext, viewer: Viewer, id: string) {
  const activity = await findActivity(ctx.db, id);
  if (!activity) throw activityNotFound();
  const relation = await findRelation(ctx.db, id, activity.ownerId, viewer.id);
  const facts = { visibility: activity.visibility, deleted: activity.deletedAt !== null };
  if (!canViewActivity(facts, relation)) throw activityNotFound();
  return { activity, relation, facts };
}

/** The activity as the wire sees it (no deletion mark), read inside the caller's transaction. */
export async function reread(trx: Trx, id: string): Promise<Activity> {
  const found = await findActivity(trx, id);
  if (!found) throw activityNotFound();
  const { deletedAt: _deletedAt, ...activity } = found;
  return activity;
}

/**
 * Runs a write in a transaction that first takes its change-sequence position. `work` returns
 * null when it turned out to change nothing (a repeated like, say); no event follows then.
 */
export async function writeChange<T>(
  ctx: ActivityContext,
  work: (trx: Trx, stamp: ChangeStamp) => Promise<T | null>,
): Promise<{ result: T; stamp: ChangeStamp } | null> {
  const run = async (trx: Trx) => {
    const stamp = { seq: await takeNextSeq(trx), at: ctx.now().toISOString() };
    const result = await work(trx, stamp);
    return result === null ? null : { result, stamp };
  };
  // Inside a mutation's transaction the service runs on it (see mutations/): one commit for the
  // change and the record that it was applied.
  return ctx.db.isTransaction ? run(ctx.db) : ctx.db.transaction().execute(run);
}
