/**
 * Resolves in a later main-thread task, so input and rendering can run in between: the page's
 * long jobs (first sync, building the contract) await it between their steps. A timer, not a
 * microtask, since only a new task lets the browser paint; inside a Dexie transaction it would
 * let the transaction close, so work there yields by awaiting its own requests instead.
 */
export const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
