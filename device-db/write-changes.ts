import type { Table, Transaction } from 'dexie';
import { planChanges, versionKey, type LocalChange } from './apply-changes';
import type { LocalReceipt, RallyLocalDb } from './local-db';
import { piecesOf } from './in-pieces';
import { PLAN_STEP, pipelinedSlices, WRITE_SLICE } from './write-slices';

/**
 * Applies changes to the device's database in one transaction: reads the stored versions of the
 * rows they touch, plans with `planChanges`, and writes. `alsoWrite` runs in the same transaction
 * (the sync cursor moves with the rows it describes, or not at all).
 *
 * A first sync hands over 10,000 changes at once: they are read, planned and written a step of
 * `PLAN_STEP` at a time, so that planning never holds the page for long. Each step reads what the
 * steps before it wrote, so the outcome is that of applying the steps one after another, as
 * pages of the feed already are (a page may end anywhere).
 */
export async function writeChanges(
  db: RallyLocalDb,
  changes: readonly LocalChange[],
  options: { alsoWrite?: (tx: Transaction) => Promise<unknown>; replaceAll?: boolean } = {},
): Promise<void> {
  await db.transaction('rw', tablesWrittenBy(db, changes, options.replaceAll ?? false), async (tx) => {
    if (options.replaceAll) {
      // A full resync replaces everything: rows it does not bring back no longer exist for us.
      // Messages still waiting in the outbox stay: they are the user's and not yet anywhere else.
      await Promise.all([
        db.activities.clear(),
        db.members.clear(),
        db.likes.clear(),
        db.checkins.clear(),
        db.conversations.clear(),
        db.receipts.clear(),
        db.notifications.clear(),
        db.userSettings.clear(),
        db.conversationSettings.clear(),
        db.hiddenMessages.clear(),
        db.removals.clear(),
        db.blockedUsers.clear(),
        db.messages.filter((message) => message.seq > 0).delete(),
      ]);
    }
    const steps = piecesOf(changes, PLAN_STEP);
    for (const [index, step] of steps.entries()) {
      // Right after the clearing nothing is stored; later steps read what earlier ones wrote.
      await writeStep(db, step, options.replaceAll && index === 0 ? new Map() : await readStoredVersions(db, step));
    }
    await options.alsoWrite?.(tx);
  });
}

/** Plans one step of changes against the versions stored before it, and writes the plan. */
async function writeStep(db: RallyLocalDb, changes: readonly LocalChange[], stored: ReadonlyMap<string, number>): Promise<void> {
  const plan = planChanges(changes, stored);
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
  await inSlices(plan.putConversations, (rows) => db.conversations.bulkPut(rows));
  await inSlices(plan.putHiddenMessages, (rows) => db.hiddenMessages.bulkPut(rows));
  await inSlices(plan.deleteMessages, (ids) => db.messages.bulkDelete(ids));
  await inSlices(await withoutHidden(db, plan.putMessages), (rows) => db.messages.bulkPut(rows));
  await inSlices(await mergeReceipts(db, plan.putReceipts), (rows) => db.receipts.bulkPut(rows));
  if (plan.deleteConversations.length) {
    await Promise.all([
      db.conversations.bulkDelete(plan.deleteConversations),
      ...plan.deleteConversations.map((id) =>
        db.messages.where('[conversationId+seq]').between([id, 0], [id, Number.MAX_SAFE_INTEGER], true, true).delete(),
      ),
      db.receipts.where('conversationId').anyOf(plan.deleteConversations).delete(),
    ]);
  }
  await inSlices(plan.putNotifications, (rows) => db.notifications.bulkPut(rows));
  await inSlices(plan.putUserSettings, (rows) => db.userSettings.bulkPut(rows));
  await inSlices(plan.putConversationSettings, (rows) => db.conversationSettings.bulkPut(rows));
  await inSlices(plan.putRemovals, (rows) => db.removals.bulkPut(rows));
  if (plan.deleteNotificationsOf.length) {
    const activities = new Set(plan.deleteNotificationsOf);
    // A user's notifications are few, and not indexed by activity: a filter is enough.
    await db.notifications.filter((notification) => notification.activityId !== null && activities.has(notification.activityId)).delete();
  }
  await inSlices(plan.putBlockedUsers, (rows) => db.blockedUsers.bulkPut(rows));
  if (plan.deleteOwn.notifications.length) await db.notifications.bulkDelete(plan.deleteOwn.notifications);
  if (plan.deleteOwn.userSettings.length) await db.userSettings.bulkDelete(plan.deleteOwn.userSettings);
  if (plan.deleteOwn.conversationSettings.length) await db.conversationSettings.bulkDelete(plan.deleteOwn.conversationSettings);
  if (plan.deleteOwn.blockedUsers.length) await db.blockedUsers.bulkDelete(plan.deleteOwn.blockedUsers);
}

/**
 * The tables a batch of changes may read and write (a deletion takes the rows under it along),
 * and the sync state. A read-write transaction waits for every earlier transaction on its tables
 * to finish: scoped like this, a pull of a like does not queue behind live queries reading chat.
 */
function tablesWrittenBy(db: RallyLocalDb, changes: readonly LocalChange[], replaceAll: boolean): Table[] {
  if (replaceAll) {
    return [
      db.activities,
      db.members,
      db.likes,
      db.checkins,
      db.syncState,
      db.conversations,
      db.messages,
      db.receipts,
      db.notifications,
      db.userSettings,
      db.conversationSettings,
      db.hiddenMessages,
      db.removals,
      db.blockedUsers,
    ];
  }
  const tables = new Set<Table>([db.syncState]);
  for (const change of changes) {
    if (change.entity === 'activity') {
      tables.add(db.activities);
      if (change.op === 'delete') [db.members, db.likes, db.checkins].forEach((table) => tables.add(table));
    } else if (change.entity === 'activity-counts' || change.entity === 'activity-attendance') tables.add(db.activities);
    else if (change.entity === 'member') tables.add(db.members);
    else if (change.entity === 'like') tables.add(db.likes);
    else if (change.entity === 'checkin') tables.add(db.checkins);
    else if (change.entity === 'conversation') {
      tables.add(db.conversations);
      if (change.op === 'delete') [db.messages, db.receipts].forEach((table) => tables.add(table));
    } else if (change.entity === 'message' || change.entity === 'hidden-message') {
      // A message is checked against the hidden ones; a hidden one takes its message away.
      tables.add(db.messages);
      tables.add(db.hiddenMessages);
    }
    else if (change.entity === 'receipt') tables.add(db.receipts);
    else if (change.entity === 'notification') tables.add(db.notifications);
    else if (change.entity === 'user-settings') tables.add(db.userSettings);
    else if (change.entity === 'removal') [db.removals, db.conversations, db.messages, db.receipts, db.notifications].forEach((table) => tables.add(table));
    else if (change.entity === 'blocked-user') tables.add(db.blockedUsers);
    else tables.add(db.conversationSettings);
  }
  return [...tables];
}

/** Messages this user deleted for themselves stay away, whatever brings them (an edit, a reaction, an older page). */
async function withoutHidden<Row extends { id: string }>(db: RallyLocalDb, rows: Row[]): Promise<Row[]> {
  if (rows.length === 0 || (await db.hiddenMessages.count()) === 0) return rows;
  const hidden = await readInSlices(db.hiddenMessages, rows.map((row) => row.id));
  return rows.filter((_row, index) => hidden[index] === undefined);
}

/**
 * Watermarks only move forward, and the user's own may be ahead of the server's (read offline,
 * not yet acknowledged): a stored value higher than an incoming one stays.
 */
async function mergeReceipts(db: RallyLocalDb, incoming: LocalReceipt[]): Promise<LocalReceipt[]> {
  const stored = await readInSlices(db.receipts, incoming.map((row): [string, string] => [row.conversationId, row.userId]));
  return incoming.map((row, i) => {
    const before = stored[i];
    if (!before) return row;
    const merged: LocalReceipt = {
      ...row,
      deliveredSeq: Math.max(before.deliveredSeq, row.deliveredSeq),
      readSeq: Math.max(before.readSeq, row.readSeq),
    };
    const stillAhead = before.unsent === 1 && (before.readSeq > row.readSeq || before.deliveredSeq > row.deliveredSeq);
    if (stillAhead) merged.unsent = 1;
    else delete merged.unsent;
    return merged;
  });
}

/** Writes `items` a slice per task (see write-slices.ts), the next slice issued while the one before it is stored. */
async function inSlices<T>(items: readonly T[], write: (slice: T[]) => Promise<unknown>): Promise<void> {
  let storing: Promise<unknown> | undefined;
  for (const [start, end] of pipelinedSlices(items.length)) {
    const issued = write(items.slice(start, end));
    // Awaited below or by the next turn; a failure aborts the transaction, which reports it.
    issued.catch(() => undefined);
    if (storing) await storing;
    storing = issued;
  }
  await storing;
}

/** `bulkGet` a slice per task: each row read is handed to the page on the main thread too. */
async function readInSlices<Row, Key>(table: Table<Row, Key>, keys: Key[]): Promise<(Row | undefined)[]> {
  const found: (Row | undefined)[] = [];
  for (const slice of piecesOf(keys, WRITE_SLICE)) found.push(...(await table.bulkGet(slice)));
  return found;
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
  return readInSlices(table, keys);
}

const keyText = (key: string | [string, string]) => (typeof key === 'string' ? key : `${key[0]}:${key[1]}`);

function isAscending(keys: (string | [string, string])[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keyText(keys[i - 1]!) >= keyText(keys[i]!)) return false;
  return true;
}

async function readStoredVersions(db: RallyLocalDb, changes: readonly LocalChange[]): Promise<Map<string, number>> {
  const ids = {
    activity: new Set<string>(),
    conversation: new Set<string>(),
    message: new Set<string>(),
    notification: new Set<string>(),
    'user-settings': new Set<string>(),
    'conversation-settings': new Set<string>(),
    'hidden-message': new Set<string>(),
    removal: new Set<string>(),
    'blocked-user': new Set<string>(),
  };
  const pairs = { member: new Map<string, [string, string]>(), like: new Map<string, [string, string]>(), checkin: new Map<string, [string, string]>(), receipt: new Map<string, [string, string]>() };
  for (const change of changes) {
    if (change.entity === 'activity' || change.entity === 'activity-counts' || change.entity === 'activity-attendance') ids.activity.add(change.id);
    else if (change.entity in ids) ids[change.entity as keyof typeof ids].add(change.id);
    else pairs[change.entity as keyof typeof pairs].set(change.id, pairOf(change.id));
  }
  const versions = new Map<string, number>();
  const note = (entity: Parameters<typeof versionKey>[0], rows: ({ version: number } | undefined)[], idOf: (row: never) => string) => {
    for (const row of rows) if (row) versions.set(versionKey(entity, idOf(row as never)), row.version);
  };
  const byId = (row: { id: string }) => row.id;
  const byPair = (key: 'activityId' | 'conversationId') => (row: Record<string, string>) => `${row[key]}:${row.userId}`;
  note('activity', await readExisting(db.activities, [...ids.activity]), byId);
  note('member', await readExisting(db.members, [...pairs.member.values()]), byPair('activityId'));
  note('like', await readExisting(db.likes, [...pairs.like.values()]), byPair('activityId'));
  note('checkin', await readExisting(db.checkins, [...pairs.checkin.values()]), byPair('activityId'));
  note('conversation', await readExisting(db.conversations, [...ids.conversation]), byId);
  note('message', await readExisting(db.messages, [...ids.message]), byId);
  note('receipt', await readExisting(db.receipts, [...pairs.receipt.values()]), byPair('conversationId'));
  note('notification', await readExisting(db.notifications, [...ids.notification]), byId);
  note('user-settings', await readExisting(db.userSettings, [...ids['user-settings']]), (row: { userId: string }) => row.userId);
  note('conversation-settings', await readExisting(db.conversationSettings, [...ids['conversation-settings']]), (row: { conversationId: string }) => row.conversationId);
  note('hidden-message', await readExisting(db.hiddenMessages, [...ids['hidden-message']]), (row: { messageId: string }) => row.messageId);
  note('removal', await readExisting(db.removals, [...ids.removal]), (row: { activityId: string }) => row.activityId);
  note('blocked-user', await readExisting(db.blockedUsers, [...ids['blocked-user']]), (row: { userId: string }) => row.userId);
  return versions;
}

function pairOf(id: string): [string, string] {
  const separator = id.indexOf(':');
  return [id.slice(0, separator), id.slice(separator + 1)];
}
