import type { ReactNode } from 'react';
import { ApiError, describeError } from '../net/api-error';

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** What a start shows while the session is restored or a screen's code first loads. */
export function OpeningRally() {
  return <Spinner label="Opening Rally…" />;
}

/** An error announced to screen readers as it appears. */
export function ErrorAlert({ error, children }: { error?: unknown; children?: ReactNode }) {
  return (
    <div className="alert alert-error" role="alert">
      {children ?? describeError(error)}
    </div>
  );
}

/** A write's failure, beside the control that made it; nothing when there is none. */
export function InlineError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <span className="inline-error" role="alert">
      {message}
    </span>
  );
}

/** Load failure with a way to try again; offline gets its own, calmer wording. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const offline = error instanceof ApiError && error.isNetworkError;
  return (
    <div className="empty-state" role="alert">
      <p className="empty-title">{offline ? "You're offline" : "Couldn't load this"}</p>
      <p className="muted">{offline ? 'This will load once Rally can reach the server.' : describeError(error)}</p>
      <button type="button" className="button button-secondary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

export function OfflinePlaceholder() {
  return (
    <div className="empty-state" role="status">
      <p className="empty-title">You're offline</p>
      <p className="muted">This will load as soon as you're back online.</p>
    </div>
  );
}

/**
 * A page for something this device does not hold. Before the first full sync, "not here" may
 * only mean "not here yet", so it says it is syncing instead.
 */
export function NotOnDevice({ hasSynced, syncingLabel, title, children }: { hasSynced: boolean | undefined; syncingLabel: string; title: string; children: ReactNode }) {
  if (!hasSynced) return <Spinner label={syncingLabel} />;
  return (
    <section className="page page-narrow">
      <EmptyState title={title}>{children}</EmptyState>
    </section>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}
