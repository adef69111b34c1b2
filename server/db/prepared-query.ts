import { createQueryId, type CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema';

type Db = Kysely<Database>;

/** Stands for the value passed under `name` when the query runs. */
export type Param<N extends string> = (name: N) => never;

type Slot = { name: string } | { value: unknown };

interface Template {
  compiled: CompiledQuery;
  slots: Slot[];
}

const MARKER = '\u0000rally-param:';

/**
 * A query built and compiled once per database (its dialect decides the SQL), then run with
 * fresh values. Kysely builds, camel-cases and compiles every query it runs: the largest share of
 * a write's CPU once statements were kept prepared. The few statements every write runs (its
 * record, its change position, its client's last id) are worth building once.
 *
 * `build` passes every value that varies through `param`. Kysely writes some values into the SQL
 * text instead of binding them (a CASE's THEN, for one); a `param` used there is caught on the
 * first run, not silently frozen.
 */
export function preparedQuery<N extends string, R = unknown>(build: (db: Db, param: Param<N>) => Compilable<R>) {
  // One template per database: the adapter is made once per Kysely instance and shared by its transactions.
  const templates = new WeakMap<object, Template>();
  return async (db: Db, values: Readonly<Record<N, unknown>>): Promise<QueryResult<R>> => {
    const key = db.getExecutor().adapter;
    let template = templates.get(key);
    if (!template) {
      template = compileTemplate(db, build);
      templates.set(key, template);
    }
    const { compiled, slots } = template;
    const parameters: unknown[] = new Array(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      parameters[i] = 'name' in slot ? valueOf(values, slot.name as N) : slot.value;
    }
    // Spelled out, not spread: this runs for nearly every statement of every write.
    return db.executeQuery<R>({ query: compiled.query, sql: compiled.sql, parameters, queryId: createQueryId() });
  };
}

function compileTemplate<N extends string>(db: Db, build: (db: Db, param: Param<N>) => Compilable<unknown>): Template {
  const named = new Set<string>();
  const param = ((name: N) => {
    named.add(name);
    return `${MARKER}${name}`;
  }) as Param<N>;
  const compiled = build(db, param).compile();
  if (compiled.sql.includes(MARKER)) throw new Error(`A parameter was written into the SQL text, not bound: ${compiled.sql}`);
  const slots: Slot[] = compiled.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(MARKER) ? { name: value.slice(MARKER.length) } : { value },
  );
  const bound = new Set(slots.flatMap((slot) => ('name' in slot ? [slot.name] : [])));
  const lost = [...named].filter((name) => !bound.has(name));
  if (lost.length > 0) throw new Error(`Parameters not bound in the compiled query: ${lost.join(', ')}`);
  return { compiled, slots };
}

/** Kysely leaves a column whose value is undefined out of an insert; a built query cannot, so it refuses one. */
function valueOf<N extends string>(values: Readonly<Record<N, unknown>>, name: N): unknown {
  const value = values[name];
  if (value === undefined) throw new Error(`No value for the query parameter ${name}`);
  return value;
}
