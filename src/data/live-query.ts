import { liveQuery } from 'dexie';
import { startTransition, useEffect, useMemo, useReducer, useRef } from 'react';
import { Superseded } from '../../device-db/in-pieces';

/**
 * dexie-react-hooks' `useLiveQuery`, with one difference: a new result after the first (a sync
 * page stored, a write, someone else's change) re-renders as a transition. React renders a
 * transition in slices of a few milliseconds and lets a tap or a keystroke go first; an ordinary
 * update from an IndexedDB callback renders the whole tree it touches in one task, and on a
 * phone's CPU a load's results re-rendered the feed or a chat in tasks of 100–300 ms
 * (bench/page-load, 4× slower). The first result renders at once (see below).
 *
 * As there: the result is `defaultResult` until the query first answers, a result Dexie has at
 * once (its cache) is used in the first render, an error is thrown for an error boundary, and the
 * query runs again when `deps` change.
 */
export function useLiveQuery<T>(querier: () => Promise<T> | T, deps?: unknown[]): T | undefined;
export function useLiveQuery<T, D>(querier: () => Promise<T> | T, deps: unknown[], defaultResult: D): T | D;
export function useLiveQuery<T, D>(querier: () => Promise<T> | T, deps: unknown[] = [], defaultResult?: D): T | D | undefined {
  const latest = useRef<{ result: T | D | undefined; error: unknown; answered: boolean }>({ result: defaultResult, error: null, answered: false });
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  // The caller's deps decide when the query is a new one.
  const observable = useMemo(() => {
    const made = liveQuery(querier);
    if (!latest.current.answered) {
      // Subscribing and leaving at once takes a result Dexie already holds, with no render in between.
      made
        .subscribe((value) => {
          latest.current.result = value;
          latest.current.answered = true;
        })
        .unsubscribe();
    }
    return made;
  }, deps);
  useEffect(() => {
    const subscription = observable.subscribe(
      (value) => {
        const now = latest.current;
        if (now.error === null && now.result === value) return;
        latest.current = { result: value, error: null, answered: true };
        // A screen's first answer is what the person is waiting for: at once. Sliced, it was
        // done about 200 ms later on a warm start (bench/startup), as the slices let other
        // starting work in between.
        if (now.answered) startTransition(rerender);
        else rerender();
      },
      (error: unknown) => {
        if (latest.current.error === error) return;
        latest.current = { ...latest.current, error };
        startTransition(rerender);
      },
    );
    return () => subscription.unsubscribe();
  }, [observable]);
  if (latest.current.error !== null) throw latest.current.error;
  return latest.current.result;
}

/**
 * A querier for `liveQuery` whose reads are many and whose answer may lag a little (an unread
 * total, the app badge): it never runs beside itself and starts at most once per `minGapMs`.
 *
 * Dexie runs a live query again on every write that touches what it read, and leaves the run
 * under way to finish unheard. For a count over every conversation that was, during a sync or a
 * replay, several full recounts at once, each abandoned by the next write: 25–40 % of the page's
 * CPU through bench/replay's drain (every replayed create adds a room), slowing the drain itself.
 * Here a run that a newer one has replaced gives up: before any read when it was still waiting,
 * or at its next piece (`stillWanted`, see readInPieces) when it had started. Dexie ignores a run
 * it has abandoned, whatever it answers. The first run starts at once.
 */
export function oneRunAtATime<T>(querier: (stillWanted: () => boolean) => Promise<T>, minGapMs: number): () => Promise<T> {
  let newest = 0;
  let running: Promise<unknown> = Promise.resolve();
  let lastStart = Number.NEGATIVE_INFINITY;
  return async () => {
    const run = ++newest;
    const stillWanted = () => run === newest;
    const before = running;
    // Wrapped in Promise.resolve, as Dexie asks of a non-Dexie promise awaited in a querier.
    await Promise.resolve(before.then(() => pause(lastStart + minGapMs - performance.now())));
    if (!stillWanted()) throw new Superseded();
    lastStart = performance.now();
    const answer = querier(stillWanted);
    running = answer.catch(() => undefined);
    return answer;
  };
}

const pause = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : undefined);
