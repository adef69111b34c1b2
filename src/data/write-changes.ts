import type { Table, Transaction } from 'dexie';
import { planChanges, versionKey, type ChangePlan, type LocalChange } from './apply-changes';
import type { RallyLocalDb } from './local-db';

/**
 * Applies changes to the device's database in one transaction: reads the stored versions of the
 * rows they touch, plans with `planChanges`, and writes. `alsoWrite` runs in the same transaction
 * (the sync cursor moves with the rows it describes, or not at all).
 */
export async function writeChanges(
  db: RallyLocalDb,
  changes: readonly LocalChange[],
  options: { alsoWrite?: (tx: Transaction) => Promise<unknown>; replaceAll?: boolean } = {},
): Promise<ChangePlan> {
  return db.transaction('rw', [db.activities, db.members, db.likes, db.checkins, db.syncState], async (tx) => {
    if (options.replaceAll) {
      // A full resync replaces everything: rows it does not bring back no longer exist for us.
      await Promise.all([db.activities.clear(), db.members.clear(), db.likes.clear(), db.checkins.clear()]);
    }
    const plan = planChanges(changes, options.replaceAll ? new Map() : await readStoredVersions(db, changes));
    await inSlices(plan.putActivities, (rows) => db.activities.bulkPut(rows));
    await inSlices(plan.putMembers, (rows) => db.members.bulkPut(rows));
    await inSlices(plan.putLikes, (rows) => db.likes.bulkPut(rows));
    await inSlices(plan.putCheckins, (rows) => db.checkins.bulkPut(rows));
    await inSlices(plan.deleteMembers, (keys) => db.members.bulkDelete(keys));
    await inSlices(plan.deleteLikes, (keys) => db.likes.bulkDelete(keys));
    await inSlices(plan.deleteCheckins, (keys) => db.checkins.bulkDelete(keys));
    if (plan.deleteActivities.length) {
      await Promise.all([
        db.activities.bulkDelete(plan.deleteActivities),
        db.members.where('activityId').anyOf(plan.deleteActivities).delete(),
        db.likes.where('activityId').anyOf(plan.deleteActivities).delete(),
        db.checkins.where('activityId').anyOf(plan.deleteActivities).delete(),
      ]);
    }
    for (const patch of plan.patchCounts) {
      const { id, ...counts } = patch;
      await db.activities.update(id, counts);
    }
    await options.alsoWrite?.(tx);
    return plan;
  });
}

/**
 * Issuing a put clones its row on the main thread; thousands at once would be one long task.
 * Slices keep each task short while staying in the caller's transaction.
 */
const SLICE = 2000;
async function inSlices<T>(items: T[], write: (slice: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += SLICE) await write(items.slice(i, i + SLICE));
}

/**
 * The stored rows among `keys` (and possibly others). A first sync's pages come in key order, so one range read finds
 * what exists (on a fresh device: nothing, at almost no cost); keys in no order are fetched one
 * by one.
 */
async function readExisting<Row, Key extends string | [string, string]>(
  table: Table<Row, Key>,
  keys: Key[],
): Promise<(Row | undefined)[]> {
  if (keys.length > 64 && isAscending(keys)) {
    // Rows in the range that no change names are harmless extras: only named keys are looked up.
    return table.where(':id').between(keys[0]!, keys[keys.length - 1]!, true, true).toArray();
  }
  const found: (Row | undefined)[] = [];
  await inSlices(keys, async (slice) => found.push(...(await table.bulkGet(slice))));
  return found;
}

const keyText = (key: string | [string, string]) => (typeof key === 'string' ? key : `${key[0]}:${key[1]}`);

function isAscending(keys: (string | [string, string])[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keyText(keys[i - 1]!) >= keyText(keys[i]!)) return false;
  return true;
}

async function readStoredVersions(db: RallyLocalDb, changes: readonly LocalChange[]): Promise<Map<string, number>> {
  const activityIds = new Set<string>();
  const memberKeys = new Map<string, [string, string]>();
  const likeKeys = new Map<string, [string, string]>();
  const checkinKeys = new Map<string, [string, string]>();
  for (const change of changes) {
    if (change.entity === 'activity' || change.entity === 'activity-counts') activityIds.add(change.id);
    else if (change.entity === 'member') memberKeys.set(change.id, pairOf(change.id));
    else if (change.entity === 'like') likeKeys.set(change.id, pairOf(change.id));
    else checkinKeys.set(change.id, pairOf(change.id));
  }
  const [activities, members, likes, checkins] = [
    await readExisting(db.activities, [...activityIds]),
    await readExisting(db.members, [...memberKeys.values()]),
    await readExisting(db.likes, [...likeKeys.values()]),
    await readExisting(db.checkins, [...checkinKeys.values()]),
  ];
  const versions = new Map<string, number>();
  for (const row of activities) if (row) versions.set(versionKey('activity', row.id), row.version);
  for (const row of members) if (row) versions.set(versionKey('member', `${row.activityId}:${row.userId}`), row.version);
  for (const row of likes) if (row) versions.set(versionKey('like', `${row.activityId}:${row.userId}`), row.version);
  for (const row of checkins) if (row) versions.set(versionKey('checkin', `${row.activityId}:${row.userId}`), row.version);
  return versions;
}

function pairOf(id: string): [string, string] {
  const separator = id.indexOf(':');
  return [id.slice(0, separator), id.slice(separator + 1)];
}
