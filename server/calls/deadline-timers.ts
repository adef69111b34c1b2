/**
 * One timer per call for its deadline (ring timeout, rejoin hold), so it ends on time. The
 * deadline itself lives in the call's row: a timer only prompts the check, and a process that
 * dies with its timers leaves calls that the next invitation ends (`endOverdue`).
 */
export function createDeadlineTimers(onDue: (callId: string) => Promise<void>) {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const clear = (callId: string) => {
    clearTimeout(timers.get(callId));
    timers.delete(callId);
  };
  return {
    arm(callId: string, delayMs: number) {
      clear(callId);
      const timer = setTimeout(() => {
        timers.delete(callId);
        onDue(callId).catch(() => undefined);
      }, delayMs + 5);
      timer.unref();
      timers.set(callId, timer);
    },
    clear,
    closeAll() {
      for (const callId of [...timers.keys()]) clear(callId);
    },
  };
}
