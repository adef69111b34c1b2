import { useEffect } from 'react';
import { ObservableValue, useObservableValue } from '../net/observable-value';

/**
 * On a start, the screen's own first read goes to IndexedDB before the reads that can wait: the
 * header's counts, the app badge and the parts that talk to the server (OnlineParts). IndexedDB
 * answers requests in the order they arrive, and the unread counts of 200 conversations asked at
 * the same moment as the feed's first page held it back by about a second on a warm start
 * (bench/startup). The wait ends once a screen has rendered what its first read answered, or
 * GRACE_MS after the first reader began to wait, for screens that read nothing of their own.
 */

/** Long enough for a screen's first read on a busy phone, short enough that a badge is never missed. */
const GRACE_MS = 1_000;

const firstScreenShown = new ObservableValue(false);
let graceTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Ends the wait now: someone is writing, and writes need the outbox, which comes with the parts
 * that waited (a tap in a screen's first second must not be turned away).
 */
export function noteFirstScreenShown(): void {
  clearTimeout(graceTimer);
  // When the screen's own data was on screen (bench/startup reports it beside the first card).
  if (!firstScreenShown.get()) performance.mark('rally:first-screen');
  firstScreenShown.set(true);
}

/** Runs `work` once the first screen has shown its data (at once if it has): start-up work no screen waits for. */
export function afterFirstScreen(work: () => void): void {
  if (firstScreenShown.get()) return work();
  const stop = firstScreenShown.subscribe(() => {
    if (!firstScreenShown.get()) return;
    stop();
    work();
  });
}

/** Whether the first screen has shown its data (or the grace has run out). */
export function isFirstScreenShown(): boolean {
  return firstScreenShown.get();
}

/** Called by a screen's named read: once it has answered, and React has committed what it shows. */
export function useScreenShownWhen(answered: boolean): void {
  useEffect(() => {
    if (answered) noteFirstScreenShown();
  }, [answered]);
}

/** False until the first screen has shown its data (or the grace has run out); then true for good. */
export function useAfterFirstScreen(): boolean {
  const shown = useObservableValue(firstScreenShown);
  useEffect(() => {
    if (!shown && graceTimer === undefined) graceTimer = setTimeout(noteFirstScreenShown, GRACE_MS);
  }, [shown]);
  return shown;
}
