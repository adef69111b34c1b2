/** tsx keeps function names with a `__name` helper that pages do not have; give them a no-op one. */
export const defineNameHelper = () => {
  (globalThis as unknown as { __name: (f: unknown) => unknown }).__name = (f) => f;
};
