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
