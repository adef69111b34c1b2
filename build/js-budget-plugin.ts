import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { checkJsBudget, type BudgetChunk } from './js-budget';

/**
 * Prints the initial JavaScript's gzip size after every production build and fails the build when
 * it is over the budget (issue 13). The rule itself is the pure checkJsBudget.
 */
export function jsBudget({ budgetKb }: { budgetKb: number }): Plugin {
  return {
    name: 'rally:js-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks: BudgetChunk[] = [];
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        chunks.push({
          fileName: output.fileName,
          isEntry: output.isEntry,
          imports: output.imports,
          // Level 9, as servers and Vite's own report compress: the figure matches what is sent.
          gzipBytes: gzipSync(output.code, { level: 9 }).length,
        });
      }
      const result = checkJsBudget(chunks, budgetKb);
      if (!result.withinBudget) this.error(result.message);
      console.log(result.message);
    },
  };
}
