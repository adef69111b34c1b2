import { pairKey, type ActivityView } from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import { loadForViewer, reread, requireVisible, writeChange, type ActivityContext } from './activity-context';
import { bumpActivityCounts, deleteLike, insertLike, insertTombstones } from './activity-writes';

/** Likes are rows with a composite key: a repeat changes nothing and reports nothing. */

export async function likeActivity(ctx: ActivityContext, viewer: Viewer, id: string): Promise<ActivityView> {
  await loadForViewer(ctx, viewer, id);
  const done = await writeChange(ctx, async (trx, { seq, at }) => {
    if (!(await insertLike(trx, id, viewer.id, seq, at))) return null;
    await bumpActivityCounts(trx, id, { likes: 1 }, { seq, at });
    return reread(trx, id);
  });
  if (done) await ctx.events.likeChanged('added', done.result, viewer, done.stamp);
  return requireVisible(ctx, viewer, id);
}

export async function unlikeActivity(ctx: ActivityContext, viewer: Viewer, id: string): Promise<ActivityView> {
  await loadForViewer(ctx, viewer, id);
  const done = await writeChange(ctx, async (trx, { seq, at }) => {
    if (!(await deleteLike(trx, id, viewer.id))) return null;
    await bumpActivityCounts(trx, id, { likes: -1 }, { seq, at });
    await insertTombstones(trx, [{ seq, entity: 'like', entityId: pairKey(id, viewer.id), activityId: id, userId: null, version: seq }]);
    return reread(trx, id);
  });
  if (done) await ctx.events.likeChanged('removed', done.result, viewer, done.stamp);
  return requireVisible(ctx, viewer, id);
}
