import { readCurrentSeq } from '../db/change-sequence';
import type { Db } from '../db/connect';

/**
 * Keeps the two tables that only grew from growing for ever:
 *
 * - stored mutation answers are needed only while a client may still send the same mutation: the
 *   page and the worker give up on an entry after 24 h, so answers older than the retention
 *   (48 h by default, never under 25 h) are deleted;
 * - tombstones tell a device that kept a cursor what disappeared. One older than the retention
 *   (30 days) is deleted, and from then on any cursor that would still need it is refused with
 *   410 `cursor_expired` (the page then starts over from a snapshot), so no removal is ever missed.
 *
 * Tombstones carry a position, not a time: each run writes a checkpoint (the position now), and a
 * later run prunes below the newest checkpoint older than the retention.
 */

export interface PruningPolicy {
  mutationRetentionMs: number;
  tombstoneRetentionMs: number;
}

export interface PruneResult {
  mutationsDeleted: number;
  tombstonesDeleted: number;
  /** Tombstones below this position are gone. */
  prunedBelow: number;
}

const HORIZON_KEY = 'tombstone_horizon';

export async function readPrunedBelow(db: Db): Promise<number> {
  const row = await db.selectFrom('syncMeta').select('value').where('key', '=', HORIZON_KEY).executeTakeFirst();
  return row ? Number(row.value) : 0;
}

export async function pruneHistory(db: Db, policy: PruningPolicy, now: Date): Promise<PruneResult> {
  return db.transaction().execute(async (trx) => {
    const mutationCutoff = new Date(now.getTime() - policy.mutationRetentionMs).toISOString();
    const mutations = await trx.deleteFrom('mutations').where('createdAt', '<', mutationCutoff).executeTakeFirst();

    const tombstoneCutoff = new Date(now.getTime() - policy.tombstoneRetentionMs);
    const due = await trx
      .selectFrom('historyCheckpoints')
      .select(['position', 'at'])
      .where('at', '<=', tombstoneCutoff.toISOString())
      .orderBy('at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const previous = await readPrunedBelow(trx);
    let prunedBelow = previous;
    let tombstonesDeleted = 0;
    if (due && Number(due.position) + 1 > previous) {
      prunedBelow = Number(due.position) + 1;
      const deleted = await trx.deleteFrom('tombstones').where('seq', '<', prunedBelow).executeTakeFirst();
      tombstonesDeleted = Number(deleted.numDeletedRows);
      // The horizon moves in the same transaction as the deletion: a cursor is never accepted
      // that needs a tombstone this run removed.
      await trx
        .insertInto('syncMeta')
        .values({ key: HORIZON_KEY, value: String(prunedBelow) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(prunedBelow) }))
        .execute();
      await trx.deleteFrom('historyCheckpoints').where('at', '<', due.at).execute();
    }
    await trx.insertInto('historyCheckpoints').values({ position: await readCurrentSeq(trx), at: now.toISOString() }).execute();
    return { mutationsDeleted: Number(mutations.numDeletedRows), tombstonesDeleted, prunedBelow };
  });
}

/** Runs `run` now and then every `intervalMs`, never two at once; `stop` ends it and waits for a run in flight. */
export function schedulePruning(run: () => Promise<unknown>, intervalMs: number, onError: (error: unknown) => void): { stop: () => Promise<void> } {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    running ??= run()
      .catch(onError)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
