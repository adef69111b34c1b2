import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Change } from '../../protocol';
import type { Db } from '../db/connect';
import type { PositionRange, SyncScope } from './sync-scopes';

/**
 * A kind of row the feed carries, described once for both halves of the feed: the snapshot walks
 * `snapshot`, the log puts every kind's `logItems` into one query and loads each page's rows with
 * `loadChanges`. Most kinds are rows under a scope and come from `scopedKind`.
 */
export interface SyncKind {
  kind: number;
  /** The first page protocol that can parse this kind; older pages are never sent it (default: all). */
  sinceProtocolVersion?: number;
  /** This kind's part of the log page's union: rows shaped as LogItem (snake_case columns). */
  logItems(userId: string, range: PositionRange): RawBuilder<unknown>;
  /** The changes log items of this kind name, by item id; a row gone or hidden since is absent. */
  loadChanges(db: Db, userId: string, items: readonly LogItem[]): Promise<Map<string, Change>>;
  /** The snapshot's walk of this kind in key order (tombstones have none: they are only in the log). */
  snapshot?: SnapshotWalk;
}

export interface SnapshotWalk {
  /** Up to `limit` rows `userId` may see, after `afterKey` ('' from the start) in key order. */
  readAfter(db: Db, userId: string, afterKey: string, limit: number): Promise<Change[]>;
  /** Where the walk stands after `change`. */
  keyOf(change: Change): string;
}

/** One row of a log page, named before it is loaded, with the position the user gets it at. */
export interface LogItem {
  kind: number;
  /** The id its change carries (a tombstone's: `entity|id`). */
  id: string;
  scopeId: string;
  feedPosition: number;
  tombstoneVersion: number | null;
}

/** The part of a kysely select the feed narrows: structural, so one rule serves every table. */
export interface RowQuery<Row> {
  where(condition: Expression<SqlBool>): RowQuery<Row>;
  orderBy(expression: Expression<unknown>): RowQuery<Row>;
  limit(count: number): RowQuery<Row>;
  execute(): Promise<Row[]>;
}

export interface ScopedKindSpec<Row> {
  kind: number;
  scope: SyncScope;
  /** The rows' table and the alias the feed's queries give it (the scope's, when rows are scopes). */
  table: string;
  alias: string;
  /** The column naming a row's scope; absent when the rows are the scopes themselves. */
  scopeColumn?: string;
  /** A row's key: its `id`, or its scope and its user (the change id is then `scope:user`, as pairKey). */
  keyedBy: 'id' | 'scope and user';
  /**
   * The column holding the position of a row's last change (default `seq`). Messages keep `seq`
   * as their place in the conversation and follow their changes in `changed_seq`.
   */
  changeColumn?: string;
  /** Of the rows under a scope granted in the window, those the grant delivers (default: all). */
  grantedRows?: RawBuilder<boolean>;
  /** The rows `userId` may see now, with what their changes need. */
  selectVisible(db: Db, userId: string): RowQuery<Row>;
  /** The alias `selectVisible` gives the table, when it is not `alias`. */
  selectedAs?: string;
  toChange(row: Row): Change;
  /** A snapshot walk other than by key. */
  snapshot?: SnapshotWalk;
}

// Table names and aliases are always written in code, never input, so they go into SQL as they are.
const raw = (text: string) => sql.raw(text);

/** A kind of row under a scope: its log items, its loader and its snapshot walk from one spec. */
export function scopedKind<Row>(spec: ScopedKindSpec<Row>): SyncKind {
  if (!spec.scopeColumn && spec.alias !== spec.scope.alias) throw new Error(`${spec.table}: rows that are their own scope take its alias`);
  const keyColumns = spec.keyedBy === 'id' ? ['id'] : [spec.scopeColumn ?? 'id', 'user_id'];
  const selected = (column: string) => raw(`${spec.selectedAs ?? spec.alias}.${column}`);
  const changesOf = (rows: Row[]) => rows.map(spec.toChange);

  const loadChanges: SyncKind['loadChanges'] = async (db, userId, items) => {
    // Pairs load by scope: a page names a scope's pairs many at a time, and a pair's key is two columns.
    const [column, values] =
      spec.keyedBy === 'id' ? ['id', items.map((item) => item.id)] : [keyColumns[0]!, [...new Set(items.map((item) => item.scopeId))]];
    const rows = await spec.selectVisible(db, userId).where(sql<SqlBool>`${selected(column)} in (${sql.join(values)})`).execute();
    return new Map(changesOf(rows).map((change) => [change.id, change]));
  };

  const walkByKey: SnapshotWalk = {
    readAfter: async (db, userId, afterKey, limit) => {
      const after = spec.keyedBy === 'id' ? [afterKey] : splitPairKey(afterKey);
      const key = sql.join(keyColumns.map(selected));
      let query = spec.selectVisible(db, userId).where(sql<SqlBool>`(${key}) > (${sql.join(after)})`);
      for (const column of keyColumns) query = query.orderBy(selected(column));
      return changesOf(await query.limit(limit).execute());
    },
    keyOf: (change) => change.id,
  };

  return {
    kind: spec.kind,
    logItems: (userId, range) => scopedLogItems(spec, keyColumns, userId, range),
    loadChanges,
    snapshot: spec.snapshot ?? walkByKey,
  };
}

/** `scope:user` (or '' from the start) as its two parts. */
export function splitPairKey(key: string): [string, string] {
  const [scopeId = '', userId = ''] = key ? key.split(':') : [];
  return [scopeId, userId];
}

/**
 * A kind's log items in two index-driven halves: rows that changed in the window, and (for the
 * rest) rows under scopes granted in it. An OR of the two would scan every row on every pull.
 * A row's position is its own last change or its grant, whichever is later: a grant delivers
 * the whole scope even if it last changed long ago.
 */
function scopedLogItems<Row>(spec: ScopedKindSpec<Row>, keyColumns: string[], userId: string, { from, to }: PositionRange): RawBuilder<unknown> {
  const { scope, alias } = spec;
  const rowTable = raw(`${spec.table} ${alias}`);
  const scopeTable = raw(`${scope.table} ${scope.alias}`);
  const row = (column: string) => raw(`${alias}.${column}`);
  const scopeId = raw(`${scope.alias}.id`);
  const grants = raw(scope.grantsName);
  const id = sql.join(keyColumns.map(row), sql` || ':' || `);
  const kind = sql.lit(spec.kind);
  const visible = scope.visibleTo(userId);
  // A row that is its own scope (an activity, a conversation) needs no join to it.
  const joinScope = spec.scopeColumn ? sql`join ${scopeTable} on ${scopeId} = ${row(spec.scopeColumn)}` : sql``;
  const crossJoinRows = spec.scopeColumn ? sql`cross join ${rowTable}` : sql``;
  const underScope = spec.scopeColumn ? sql`and ${row(spec.scopeColumn)} = ${scopeId}` : sql``;
  const grantedRows = spec.grantedRows ? sql`and ${spec.grantedRows}` : sql``;
  const changed = row(spec.changeColumn ?? 'seq');
  // The second half starts from the grants, written as CROSS JOINs: SQLite keeps their order (it
  // plans without table statistics, and would otherwise walk every row older than the cursor to
  // find the few granted ones); Postgres treats them as inner joins and plans them freely.
  return sql`
      select ${kind} as kind, ${id} as id, ${scopeId} as scope_id,
             case when granted.granted_at > ${changed} then granted.granted_at else ${changed} end as feed_position,
             cast(null as bigint) as tombstone_version
        from ${rowTable} ${joinScope} left join ${grants} granted on granted.scope_id = ${scopeId}
       where ${changed} >= ${from} and ${changed} <= ${to} and ${visible}
      union all
      select ${kind}, ${id}, ${scopeId}, granted.granted_at, cast(null as bigint)
        from ${grants} granted cross join ${scopeTable} ${crossJoinRows}
       where ${scopeId} = granted.scope_id ${underScope} and ${changed} < ${from} ${grantedRows} and ${visible}`;
}
