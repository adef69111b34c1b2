/**
 * A transaction's events, held until it commits: nobody should hear about a change that may still
 * roll back (a mutation's bookkeeping can fail after its change succeeded). Some events must also
 * be heard inside the transaction (those that queue pushes: their rows commit with the change):
 * `heardFirst` names those, and what hears them is asked for only when one of them happens.
 */
type Listener = (...args: never[]) => Promise<void>;

interface Held<E> {
  readonly events: E;
  /** Tells the target every held event, in order. Once the transaction has committed. */
  flush(): Promise<void>;
}

/**
 * Every write holds its events, so this is on every write's path: the recording methods live on
 * one prototype per target (made on first use), not in closures made for each write.
 */
export function holdEvents<E extends object, F extends keyof E>(target: E, heardFirst: readonly F[], firstListener: () => Pick<E, F>): Held<E> {
  const prototype = prototypeFor(target, heardFirst as readonly PropertyKey[]);
  const hold = Object.create(prototype) as HoldState;
  hold.pending = [];
  hold.firstListener = firstListener as () => Record<PropertyKey, Listener>;
  return {
    events: hold as unknown as E,
    async flush() {
      const sink = target as unknown as Record<PropertyKey, Listener>;
      for (const [name, args] of hold.pending.splice(0)) await sink[name]!.apply(target, args);
    },
  };
}

interface HoldState {
  pending: [PropertyKey, never[]][];
  firstListener: () => Record<PropertyKey, Listener>;
}

const prototypes = new WeakMap<object, { heardFirst: readonly PropertyKey[]; prototype: object }>();

function prototypeFor(target: object, heardFirst: readonly PropertyKey[]): object {
  const known = prototypes.get(target);
  if (known && sameNames(known.heardFirst, heardFirst)) return known.prototype;
  const prototype: Record<PropertyKey, Listener> = {};
  for (const name of Object.keys(target)) {
    if (typeof (target as Record<string, unknown>)[name] !== 'function') continue;
    prototype[name] = heardFirst.includes(name)
      ? async function (this: HoldState, ...args: never[]) {
          await this.firstListener()[name]!(...args);
          this.pending.push([name, args]);
        }
      : async function (this: HoldState, ...args: never[]) {
          this.pending.push([name, args]);
        };
  }
  prototypes.set(target, { heardFirst, prototype });
  return prototype;
}

function sameNames(a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
