/**
 * The server's `flags:changed` event, passed from the socket's event table to whoever evaluates
 * flags (feature-flags.ts), so the table needs none of OpenFeature or the auth client.
 */
const listeners = new Set<() => void>();

export function noteFlagsChanged(): void {
  for (const listener of listeners) listener();
}

export function onFlagsChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
