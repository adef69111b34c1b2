import { describe, expect, it } from 'vitest';
import { checkJsBudget, initialChunkFiles, parseBudgetKb, type BudgetChunk } from './js-budget';

const chunk = (fileName: string, gzipBytes: number, imports: string[] = [], isEntry = false): BudgetChunk => ({
  fileName,
  isEntry,
  imports,
  gzipBytes,
});

// An entry with a shared vendor chunk imported twice (once through a chain) and two chunks reached
// only by dynamic import, one of which also imports the vendor chunk.
const bundle = [
  chunk('index.js', 60_000, ['vendor.js', 'feed.js'], true),
  chunk('feed.js', 10_000, ['vendor.js']),
  chunk('vendor.js', 50_000),
  chunk('settings.js', 5_000, ['vendor.js']),
  chunk('firebase.js', 15_000),
];

describe('initialChunkFiles', () => {
  it('follows static imports from each entry once, and leaves dynamically imported chunks out', () => {
    expect(initialChunkFiles(bundle)).toEqual(['index.js', 'vendor.js', 'feed.js']);
  });

  it('ignores an import that is not in the bundle', () => {
    expect(initialChunkFiles([chunk('index.js', 1, ['external.js'], true)])).toEqual(['index.js']);
  });
});

describe('checkJsBudget', () => {
  it('passes at or under the budget and prints the figure', () => {
    const result = checkJsBudget(bundle, 120);
    expect(result).toMatchObject({ gzipBytes: 120_000, budgetBytes: 120_000, withinBudget: true });
    expect(result.message).toBe('initial JS: 120.0 KB gzip (budget 120 KB) in 3 chunk(s)');
  });

  it('fails over the budget and names the initial chunks', () => {
    const result = checkJsBudget(bundle, 100);
    expect(result.withinBudget).toBe(false);
    expect(result.message).toMatch(/^initial JS: 120\.0 KB gzip \(budget 100 KB\) is over by 20\.0 KB: index\.js, vendor\.js, feed\.js\./);
  });

  it('fails by a single byte', () => {
    expect(checkJsBudget([chunk('index.js', 1001, [], true)], 1).withinBudget).toBe(false);
  });
});

describe('parseBudgetKb', () => {
  it('takes the fallback when unset and a positive number otherwise', () => {
    expect(parseBudgetKb(undefined, 150)).toBe(150);
    expect(parseBudgetKb('', 150)).toBe(150);
    expect(parseBudgetKb('10', 150)).toBe(10);
  });

  it('refuses anything else rather than silently checking nothing', () => {
    for (const raw of ['0', '-5', 'abc', 'Infinity']) expect(() => parseBudgetKb(raw, 150)).toThrow(/RALLY_JS_BUDGET_KB/);
  });
});
