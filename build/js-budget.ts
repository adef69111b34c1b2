/**
 * The initial-JavaScript budget, as a pure rule: given the chunks of a build, which ones does
 * index.html load before any dynamic import (each entry and, transitively, its static imports,
 * which Vite writes as modulepreload links), and do they fit the budget once gzipped?
 * The Vite plugin beside it (js-budget-plugin.ts) feeds it the real bundle.
 */

export interface BudgetChunk {
  fileName: string;
  isEntry: boolean;
  /** Static imports only: a dynamic import() is fetched on demand and is not initial. */
  imports: readonly string[];
  gzipBytes: number;
}

export interface BudgetResult {
  /** Initial chunks in the order they were reached from the entries. */
  initialFiles: string[];
  gzipBytes: number;
  budgetBytes: number;
  withinBudget: boolean;
  message: string;
}

/** Kilobytes as Vite's own size report counts them (1000 bytes), so the two figures agree. */
export const KB = 1000;

export function initialChunkFiles(chunks: readonly BudgetChunk[]): string[] {
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const reached = new Set<string>();
  const visit = (fileName: string) => {
    if (reached.has(fileName)) return;
    reached.add(fileName);
    for (const imported of byName.get(fileName)?.imports ?? []) visit(imported);
  };
  for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);
  // An import of something outside the bundle (none today) has no size to count.
  return [...reached].filter((fileName) => byName.has(fileName));
}

export function checkJsBudget(chunks: readonly BudgetChunk[], budgetKb: number): BudgetResult {
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const initialFiles = initialChunkFiles(chunks);
  const gzipBytes = initialFiles.reduce((sum, fileName) => sum + (byName.get(fileName)?.gzipBytes ?? 0), 0);
  const budgetBytes = budgetKb * KB;
  const withinBudget = gzipBytes <= budgetBytes;
  const figure = `initial JS: ${(gzipBytes / KB).toFixed(1)} KB gzip (budget ${budgetKb} KB)`;
  const message = withinBudget
    ? `${figure} in ${initialFiles.length} chunk(s)`
    : `${figure} is over by ${((gzipBytes - budgetBytes) / KB).toFixed(1)} KB: ${initialFiles.join(', ')}. ` +
      'Load the new code on demand (a lazy route or a dynamic import) or make room for it.';
  return { initialFiles, gzipBytes, budgetBytes, withinBudget, message };
}

/** The budget from the environment (RALLY_JS_BUDGET_KB, for a test that needs the check to fail) or the default. */
export function parseBudgetKb(raw: string | undefined, fallbackKb: number): number {
  if (raw === undefined || raw === '') return fallbackKb;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`RALLY_JS_BUDGET_KB must be a positive number of KB, not "${raw}"`);
  return value;
}
