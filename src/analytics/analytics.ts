import type { AnalyticsProps } from '../../protocol/analytics';
import type * as EngineModule from './analytics-engine';
import { analyticsEnabled } from './analytics-choice';

/**
 * What the rest of the page calls: `track`, `screen` (the router does it), `reportError`. This
 * file is in the first load, so it is only a front: the engine (stamping, the session, the queue,
 * sending) is a chunk of its own, loaded with the first event. Each event keeps the time it was
 * called at, so the wait for that chunk changes nothing. With analytics off nothing is recorded.
 */

export type PendingEvent =
  | { kind: 'track'; name: string; props: Record<string, unknown> }
  | { kind: 'screen'; name: string }
  | { kind: 'error'; error: unknown; source: string };

type Engine = typeof EngineModule;
let engine: Promise<Engine> | null = null;

function record(event: PendingEvent): void {
  if (!analyticsEnabled.get()) return;
  const at = new Date();
  engine ??= import('./analytics-engine');
  void engine.then((loaded) => loaded.recordEvent(event, at)).catch(() => undefined);
}

/** A named product event with a few flat props (strings, numbers, booleans; nothing about a person). */
export function track(name: string, props: AnalyticsProps = {}): void {
  record({ kind: 'track', name, props });
}

/** The page now shows `name` (a route pattern such as `/activities/:activityId`). */
export function screen(name: string): void {
  record({ kind: 'screen', name });
}

/** An error with its stack: thrown, rejected, or caught by the crash screen (`source` says which). */
export function reportError(error: unknown, source: string): void {
  record({ kind: 'error', error, source });
}

/** Uncaught errors and unhandled rejections become error events; started once by main.tsx. */
export function listenForErrors(): void {
  window.addEventListener('error', (event) => reportError(event.error ?? event.message, 'window.onerror'));
  window.addEventListener('unhandledrejection', (event) => reportError(event.reason, 'unhandledrejection'));
}
