import { sql, type RawBuilder } from 'kysely';
import type { Change } from '../../protocol';
import { readCurrentSeq } from '../db/change-sequence';
import type { Db } from '../db/connect';
import type { SyncPage } from './sync-cursor';
import type { LogItem } from './sync-kind';
import { ALL_FEED_KINDS, type FeedKinds } from './sync-kinds';
import { cursorAfterPage, LOG_WINDOW_POSITIONS, logWindowEnd, type LogCursor } from './sync-log-window';
import { SYNC_SCOPES } from './sync-scopes';

// Log: changes after the cursor, by position: each kind's rows changed in the window, and the
// rows under scopes granted in it, all in one query ordered by (position, kind, id).

export { LOG_WINDOW_POSITIONS };

export async function readLogPage(
  db: Db,
  userId: string,
  cursor: LogCursor,
  limit: number,
  windowPositions = LOG_WINDOW_POSITIONS,
  kinds: FeedKinds = ALL_FEED_KINDS,
): Promise<SyncPage> {
  const head = await readCurrentSeq(db);
  const windowEnd = logWindowEnd(cursor, head, windowPositions);
  const { rows } = await logPageQuery(userId, cursor, windowEnd, limit, kinds).execute(db);
  const items = rows.map(
    (row): LogItem => ({ ...row, kind: Number(row.kind), feedPosition: Number(row.feedPosition), tombstoneVersion: row.tombstoneVersion === null ? null : Number(row.tombstoneVersion) }),
  );
  const pageItems = items.slice(0, limit);
  const changes = await loadChanges(db, userId, pageItems, kinds);
  return { changes, ...cursorAfterPage(cursor, { last: pageItems.at(-1), more: items.length > limit }, windowEnd, head) };
}

/** A log item as the database answers it (bigints may come as strings). */
interface LogItemRow {
  kind: number | string;
  id: string;
  scopeId: string;
  feedPosition: number | string;
  tombstoneVersion: number | string | null;
}

/**
 * The one query of a log page: up to `limit + 1` items after `cursor`, at positions up to
 * `windowEnd`. Every kind's part takes positions `>= cursor.seq`: a page may have ended part-way
 * through the changes at that position, and the outer filter skips what was already delivered.
 * Nothing goes beyond `windowEnd`: a row granted beyond it comes again, by its grant, in a later
 * window.
 */
export function logPageQuery(userId: string, cursor: LogCursor, windowEnd: number, limit: number, kinds: FeedKinds = ALL_FEED_KINDS): RawBuilder<LogItemRow> {
  const range = { from: cursor.seq, to: windowEnd };
  const grants = sql.join(SYNC_SCOPES.map((scope) => sql`${sql.raw(scope.grantsName)} as (${scope.grantedIn(userId, range)})`));
  const items = sql.join(
    kinds.all.map((kind) => kind.logItems(userId, range)),
    sql`
      union all`,
  );
  return sql<LogItemRow>`
    with ${grants},
    items as (${items})
    select kind, id, scope_id, feed_position, tombstone_version from items
     where (feed_position > ${range.from}
            or (feed_position = ${range.from} and (kind > ${cursor.kind} or (kind = ${cursor.kind} and id > ${cursor.afterId}))))
       and feed_position <= ${range.to}
     order by feed_position, kind, id
     limit ${limit + 1}`;
}

/** The changes the items name, in item order; rows that vanished or were hidden meanwhile are skipped. */
async function loadChanges(db: Db, userId: string, items: LogItem[], kinds: FeedKinds): Promise<Change[]> {
  const SYNC_KINDS = kinds.all;
  const loaded = await Promise.all(
    SYNC_KINDS.map((kind) => {
      const itemsOfKind = items.filter((item) => item.kind === kind.kind);
      return itemsOfKind.length === 0 ? new Map<string, Change>() : kind.loadChanges(db, userId, itemsOfKind);
    }),
  );
  const changesByKind = new Map(SYNC_KINDS.map((kind, index) => [kind.kind, loaded[index]!]));
  return items.flatMap((item) => changesByKind.get(item.kind)?.get(item.id) ?? []);
}
