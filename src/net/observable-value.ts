import { useSyncExternalStore } from 'react';

/** A value that React components (and plain modules) can read and watch for changes. */
export class ObservableValue<T> {
  private readonly listeners = new Set<() => void>();

  constructor(private value: T) {}

  get = (): T => this.value;

  set(next: T): void {
    if (Object.is(next, this.value)) return;
    this.value = next;
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

export function useObservableValue<T>(observable: ObservableValue<T>): T {
  return useSyncExternalStore(observable.subscribe, observable.get, observable.get);
}
