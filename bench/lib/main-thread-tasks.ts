import type { Browser, Page } from '@playwright/test';

/**
 * Every task the page's main thread ran, read from a Chromium trace ('toplevel' category), so a
 * benchmark can report its longest task whatever its length. The Long Tasks API this replaces
 * reports only tasks over 50 ms: below that, "the longest" read as 0, which says nothing.
 */

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

/**
 * Starts a trace of `page`'s process; the returned function stops it and gives the longest task
 * the main thread ran while the user timing measure `userTiming` was under way (0: none ran).
 */
export async function traceMainThread(browser: Browser, page: Page): Promise<(userTiming: string) => Promise<{ longest: number; tasks: number }>> {
  await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing', '__metadata'] });
  return async (userTiming) => {
    const { traceEvents } = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
    const threadOf = (e: TraceEvent) => `${e.pid}:${e.tid}`;
    const mains = new Set(traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map(threadOf));
    // The thread that measured it: a navigation may have moved the page to another renderer, so
    // "the" renderer main thread of the trace is not necessarily the page's.
    const marks = traceEvents.filter((e) => e.name === userTiming && e.cat.includes('blink.user_timing') && mains.has(threadOf(e)));
    if (marks.length < 2) throw new Error(`the trace holds no ${userTiming} measure`);
    const thread = threadOf(marks[0]!);
    const window = { start: Math.min(...marks.map((e) => e.ts)), end: Math.max(...marks.map((e) => e.ts)) };
    const tasks = traceEvents
      .filter((e) => e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') && threadOf(e) === thread)
      .map((e) => ({ start: e.ts, duration: (e.dur ?? 0) / 1000 }))
      .filter((task) => task.start <= window.end && task.start + task.duration * 1000 >= window.start);
    // A loop, not Math.max(...): a first sync runs over a hundred thousand tasks.
    return { longest: tasks.reduce((longest, task) => Math.max(longest, task.duration), 0), tasks: tasks.length };
  };
}
