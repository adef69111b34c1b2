/**
 * A date formatter in the reader's locale, made the first time it is used and kept. Made when its
 * module loads, it cost its screen's first task: the first Intl.DateTimeFormat of a page loads the
 * locale's calendar data, about 25 ms on this machine (100 ms on a phone's CPU, 4× slower), and a
 * screen that shows no date (sign-in, a chat's header) paid for the feed's formatters.
 */
export function dateFormat(options: Intl.DateTimeFormatOptions): () => Intl.DateTimeFormat {
  let made: Intl.DateTimeFormat | undefined;
  return () => (made ??= new Intl.DateTimeFormat(undefined, options));
}

/**
 * Loads the locale's calendar data now, in a task of its own, so that the first date on screen
 * does not: in bench/sync's traces that first formatter (about 25 ms here, 37 ms on a busy run)
 * was a cold sync's longest task, inside the render of the feed's first cards. The cost is the
 * locale, not the options: after a plain formatter, the cards' own took under 1 ms in Chromium.
 * App calls this once its first render has committed; nearly every signed-in screen shows a date.
 */
export function loadDateDataSoon(): void {
  setTimeout(() => new Intl.DateTimeFormat().format(0), 0);
}
