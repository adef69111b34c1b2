/**
 * Holds a transaction's events until it commits: nobody should hear about a change that may
 * still roll back (a mutation's bookkeeping can fail after its change succeeded).
 */
type EventSink = { [K in string]: (...args: never[]) => Promise<void> };

export function bufferEvents<E extends object>(target: E): { events: E; flush(): Promise<void> } {
  const pending: (() => Promise<void>)[] = [];
  const sink = target as unknown as EventSink;
  const events = Object.fromEntries(
    Object.keys(sink)
      .filter((name) => typeof sink[name] === 'function')
      .map((name) => [
        name,
        async (...args: never[]) => {
          pending.push(() => sink[name]!.apply(target, args));
        },
      ]),
  ) as unknown as E;
  return {
    events,
    async flush() {
      for (const send of pending.splice(0)) await send();
    },
  };
}
