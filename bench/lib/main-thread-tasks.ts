import type { Browser, Page } from '@playwright/test';

/**
 * Every task the page's main thread ran, read from a Chromium trace ('toplevel' category), so a
 * benchmark can report its longest task whatever its length. The Long Tasks API this replaces
 * reports only tasks over 50 ms: below that, "the longest" read as 0, which says nothing.
 */
export interface MainThreadTask {
  /** Microseconds on the trace's clock. */
  start: number;
  /** Milliseconds. */
  duration: number;
}

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/** Starts a trace of `page`'s process; the returned function stops it and reads it. */
export async function traceMainThread(browser: Browser, page: Page): Promise<() => Promise<{ tasks: MainThreadTask[]; windowOf: (userTiming: string) => { start: number; end: number } | undefined }>> {
  await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing', '__metadata'] });
  return async () => {
    const { traceEvents } = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
    // The page's main thread: the renderer main thread that recorded the page's user timings.
    const mains = new Set(traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
    const timings = traceEvents.filter((e) => e.cat.includes('blink.user_timing') && mains.has(`${e.pid}:${e.tid}`));
    const main = timings[0] ? `${timings[0].pid}:${timings[0].tid}` : [...mains][0];
    const tasks = traceEvents
      .filter((e) => e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') && `${e.pid}:${e.tid}` === main)
      .map((e) => ({ start: e.ts, duration: (e.dur ?? 0) / 1000 }));
    const windowOf = (userTiming: string) => {
      const marks = timings.filter((e) => e.name === userTiming).map((e) => e.ts);
      return marks.length >= 2 ? { start: Math.min(...marks), end: Math.max(...marks) } : undefined;
    };
    return { tasks, windowOf };
  };
}

/** The longest of `tasks` that overlaps the window (trace microseconds), in milliseconds; 0 when none does. */
export function longestTaskIn(tasks: readonly MainThreadTask[], window: { start: number; end: number }): number {
  let longest = 0;
  for (const task of tasks) {
    if (task.start <= window.end && task.start + task.duration * 1000 >= window.start) longest = Math.max(longest, task.duration);
  }
  return longest;
}
