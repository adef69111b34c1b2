import { setImmediate } from 'node:timers';
import type { Database as SqliteHandle } from 'better-sqlite3';
import {
  type CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type SqliteDatabase,
} from 'kysely';

/** The most transactions one commit carries: bounds what a failed commit takes down with it. */
const MAX_GROUP = 64;
/** The most turns of the event loop a group waits for more writes (see `#scheduleCommit`). */
const MAX_WAIT_TURNS = 4;
const SAVEPOINT = 'rally_tx';

/**
 * SQLite for kysely with group commit. A COMMIT in WAL mode appends every page the transaction
 * touched to the log: for one of Rally's writes, ~28 pages, the largest part of its cost. The
 * writes that arrive together (within a few turns of the event loop) touch mostly the same pages:
 * the tables' and indexes' last leaves, the change sequence's row.
 *
 * So the transactions still run one after another on the one connection, each inside a savepoint
 * of one open SQLite transaction; a transaction that fails rolls back to its savepoint, taking
 * only its own changes with it. The group commits once a turn of the loop brings it no new write
 * and nothing holds the connection (see `#scheduleCommit`), or once it holds `MAX_GROUP`, and
 * only then does each of its transactions' `execute()` return: nobody is told of a write before
 * it is durable, and a failed COMMIT fails every transaction of its group, as if each had failed
 * alone.
 *
 * A query outside a transaction commits the open group first, so it reads only committed rows,
 * as before. A transaction inside the group does see the ones before it: they run in order, and
 * they commit or fail together.
 */
export function groupCommitSqliteDialect(sqlite: SqliteHandle, database: SqliteDatabase): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new GroupCommitDriver(sqlite, database),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** One turn holding the connection: what kysely calls a connection. Once released it refuses to run anything. */
class Lease implements DatabaseConnection {
  released = false;
  inTransaction = false;
  constructor(private readonly driver: GroupCommitDriver) {}
  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return Promise.resolve(this.driver.run<R>(this, query));
  }
  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    for (const row of this.driver.iterate<R>(this, query)) yield { rows: [row] };
  }
}

class GroupCommitDriver implements Driver {
  /** Set while a lease holds the connection; the next in line waits on it. */
  #held: Promise<void> | undefined;
  #unlock: (() => void) | undefined;
  /** The transactions released into the open SQLite transaction, waiting for its COMMIT. */
  #group: Waiter[] = [];
  #groupOpen = false;
  #commitScheduled = false;

  constructor(
    private readonly sqlite: SqliteHandle,
    private readonly database: SqliteDatabase,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    while (this.#held) await this.#held;
    this.#held = new Promise((resolve) => (this.#unlock = resolve));
    return new Lease(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = this.#live(connection);
    if (this.#groupOpen && !this.sqlite.inTransaction) this.#failGroup(new Error('SQLite rolled back the open group of transactions'));
    if (!this.#groupOpen) {
      this.sqlite.exec('begin');
      this.#groupOpen = true;
    }
    this.sqlite.exec(`savepoint ${SAVEPOINT}`);
    lease.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = this.#live(connection);
    this.sqlite.exec(`release ${SAVEPOINT}`);
    lease.inTransaction = false;
    const durable = new Promise<void>((resolve, reject) => this.#group.push({ resolve, reject }));
    // The connection goes to the next transaction now; this one's caller hears when the group commits.
    this.#release(lease);
    await durable;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    // Released by its commit, whose group then failed: the connection is someone else's now.
    if (lease.released) return;
    lease.inTransaction = false;
    if (!this.sqlite.inTransaction) {
      // SQLite rolled back the whole transaction by itself (some I/O and full-disk errors do):
      // the group's earlier transactions went with it.
      this.#failGroup(new Error('SQLite rolled back the open group of transactions'));
      return;
    }
    this.sqlite.exec(`rollback to ${SAVEPOINT}`);
    this.sqlite.exec(`release ${SAVEPOINT}`);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.#release(connection as Lease);
  }

  async destroy(): Promise<void> {
    if (this.#groupOpen) this.#commitGroup();
    this.database.close();
  }

  /** Runs `query` for `lease`; outside a transaction, after committing the open group. */
  run<R>(lease: Lease, query: CompiledQuery): QueryResult<R> {
    const statement = this.#statementFor(lease, query);
    if (statement.reader) return { rows: statement.all(query.parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(query.parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  iterate<R>(lease: Lease, query: CompiledQuery): IterableIterator<R> {
    const statement = this.#statementFor(lease, query);
    if (!statement.reader) throw new Error('Only a query that returns rows can be streamed');
    return statement.iterate(query.parameters) as IterableIterator<R>;
  }

  #statementFor(lease: Lease, query: CompiledQuery) {
    this.#live(lease);
    if (!lease.inTransaction && this.#groupOpen) this.#commitGroup();
    return this.database.prepare(query.sql);
  }

  #live(connection: DatabaseConnection): Lease {
    const lease = connection as Lease;
    if (lease.released) throw new Error('This connection was already given back');
    return lease;
  }

  #release(lease: Lease): void {
    if (lease.released) return;
    lease.released = true;
    if (this.#groupOpen) {
      if (this.#group.length >= MAX_GROUP) this.#commitGroup();
      else this.#scheduleCommit();
    }
    const unlock = this.#unlock;
    this.#held = undefined;
    this.#unlock = undefined;
    unlock?.();
  }

  /**
   * Commits once a turn of the event loop has passed in which no write joined the group (or after
   * `MAX_WAIT_TURNS` turns): the writes that arrive close together share the commit, and nobody is
   * held for more than a few turns. Ending the group at the first turn's end split a steady stream
   * in two: the clients answered by one commit send their next writes while the rest are being
   * read, so every group held about half of them. Under `bench/http` (10 connections) groups of 5
   * became groups of 10, and a write's share of the commit fell with it. An idle server pays one
   * empty turn. If a transaction holds the connection when the time comes, its release schedules
   * the next try.
   */
  #scheduleCommit(): void {
    if (this.#commitScheduled) return;
    this.#commitScheduled = true;
    let size = this.#group.length;
    let turns = 0;
    const atTurnEnd = () => {
      turns += 1;
      const grew = this.#group.length > size;
      size = this.#group.length;
      if (this.#groupOpen && grew && turns < MAX_WAIT_TURNS) {
        setImmediate(atTurnEnd);
        return;
      }
      this.#commitScheduled = false;
      if (this.#groupOpen && !this.#held) this.#commitGroup();
    };
    setImmediate(atTurnEnd);
  }

  #commitGroup(): void {
    const group = this.#group;
    this.#group = [];
    this.#groupOpen = false;
    try {
      this.sqlite.exec('commit');
    } catch (error) {
      if (this.sqlite.inTransaction) this.sqlite.exec('rollback');
      for (const waiter of group) waiter.reject(error);
      return;
    }
    for (const waiter of group) waiter.resolve();
  }

  #failGroup(error: Error): void {
    const group = this.#group;
    this.#group = [];
    this.#groupOpen = false;
    if (this.sqlite.inTransaction) this.sqlite.exec('rollback');
    for (const waiter of group) waiter.reject(error);
  }
}
