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

/** An error announced to screen readers as it appears. */
export function ErrorAlert({ error, children }: { error?: unknown; children?: ReactNode }) {
  return (
    <div className="alert alert-error" role="alert">
      {children ?? describeError(error)}
    </div>
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

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}
