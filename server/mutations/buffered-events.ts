import type { ActivityEvents } from '../activities/activity-events';

/**
 * Holds a transaction's events until it commits: nobody should hear about a change that may
 * still roll back (a mutation's bookkeeping can fail after its change succeeded).
 */
export function bufferEvents(target: ActivityEvents): { events: ActivityEvents; flush(): Promise<void> } {
  const pending: (() => Promise<void>)[] = [];
  const later =
    <A extends unknown[]>(send: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      pending.push(() => send(...args));
    };
  return {
    events: {
      created: later(target.created.bind(target)),
      updated: later(target.updated.bind(target)),
      deleted: later(target.deleted.bind(target)),
      membershipChanged: later(target.membershipChanged.bind(target)),
      likeChanged: later(target.likeChanged.bind(target)),
      invited: later(target.invited.bind(target)),
    },
    async flush() {
      for (const send of pending.splice(0)) await send();
    },
  };
}
