import { Component, useEffect, type ReactNode } from 'react';
import { reportError } from '../analytics/analytics';

/**
 * What a screen that threw shows instead of a blank page: what happened, and a way out. Data on
 * the device is untouched, so a reload usually brings everything back.
 */
export function CrashScreen({ error }: { error: unknown }) {
  useEffect(() => {
    console.error(error);
    // The boundary caught it, so window.onerror never hears of it: report it from here.
    reportError(error, 'crash-screen');
  }, [error]);
  return (
    <section className="page page-narrow empty-state" role="alert">
      <h1>Something went wrong</h1>
      <p className="muted">This screen hit an error. Your data on this device is safe.</p>
      <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
        Reload
      </button>
    </section>
  );
}

interface BoundaryState {
  error: unknown;
  /** Where the error happened: a navigation away from it renders the routes again. */
  pathname: string | null;
}

/** Catches what a screen throws (a render, a chunk that failed to load) and shows CrashScreen until the path changes. */
export class RouteErrorBoundary extends Component<{ pathname: string; children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { error: null, pathname: null };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { error: error ?? new Error('A screen threw nothing') };
  }

  static getDerivedStateFromProps(props: { pathname: string }, state: BoundaryState): Partial<BoundaryState> | null {
    // Another path: whatever threw belonged to the last one.
    return state.pathname === props.pathname ? null : { error: null, pathname: props.pathname };
  }

  override render() {
    return this.state.error !== null ? <CrashScreen error={this.state.error} /> : this.props.children;
  }
}
