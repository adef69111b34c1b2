import { pairKey, type Change } from '../../protocol';
import type { Db } from '../db/connect';
import { scopedKind, type RowQuery, type SyncKind } from './sync-kind';
import type { SyncScope } from './sync-scopes';

type PerUserEntity = 'member' | 'like' | 'checkin' | 'receipt';
export type PerUserChange<E extends PerUserEntity> = Extract<Change, { entity: E; op: 'upsert' }>;

export interface PerUserKindSpec<E extends PerUserEntity, Row extends { userId: string; seq: number | string }> {
  kind: number;
  entity: E;
  scope: SyncScope;
  /** The table as the log's SQL names it, the alias it gives it, and the column naming the scope. */
  table: string;
  alias: string;
  scopeColumn: string;
  /** The rows `userId` may see now, selected as `row`. */
  selectVisible(db: Db, userId: string): RowQuery<Row>;
  scopeIdOf(row: NoInfer<Row>): string;
  toData(row: NoInfer<Row>): PerUserChange<E>['data'];
}

/**
 * A kind of row each user has at most one of per scope (a membership, a like, a check-in, a
 * read receipt): keyed by scope and user, its change's id is `scope:user` (pairKey) and its
 * version the position of the row's last change.
 */
export function perUserKind<E extends PerUserEntity, Row extends { userId: string; seq: number | string }>(
  spec: PerUserKindSpec<E, Row>,
): SyncKind {
  const { entity, scopeIdOf, toData, ...described } = spec;
  return scopedKind({
    ...described,
    keyedBy: 'scope and user',
    selectedAs: 'row',
    toChange: (row) => ({ entity, op: 'upsert', id: pairKey(scopeIdOf(row), row.userId), version: Number(row.seq), data: toData(row) }) as PerUserChange<E>,
  });
}
