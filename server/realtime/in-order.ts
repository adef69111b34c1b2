/**
 * A queue of one: each job given to the returned function starts once the one before it has
 * settled, whatever its outcome, and the caller gets the job's own result. A socket's typing and
 * presence fan-outs each await database reads; run side by side, a later one could go out first
 * (a "stopped typing" before its "typing", an "online" after the "away" that followed it).
 */
export function inOrder(): <T>(job: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (job) => {
    const next = last.then(job);
    last = next.catch(() => undefined);
    return next;
  };
}
