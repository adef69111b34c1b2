import type { ModulePreloadOptions, Plugin } from 'vite';

/** The chunks src/net/contract-in-steps.ts evaluates one per task (named in vite.config.ts). */
const CONTRACT_PART = /^(zod|zod-without-eval|protocol-.+)$/;
const CONTRACT_IN_STEPS = /(^|\/)contract-in-steps-[^/]+\.js$/;

/**
 * Fetches the contract's parts together, evaluates them apart. contract-in-steps imports its
 * parts one after another so that each is evaluated in a task of its own; on its own that also
 * fetched each only then, a chain of six round trips before OnlineParts or the first lazy screen
 * could load (both wait for the contract). Here every import of contract-in-steps lists all the
 * parts as modulepreloads: the browser fetches and compiles them at once, and the steps only
 * evaluate.
 *
 * The plugin learns the parts' file names as the bundle is written, before Vite's import analysis
 * (a later plugin) asks `resolveDependencies` for each dynamic import's preload list.
 */
export function contractPreload(): { plugin: Plugin; modulePreload: ModulePreloadOptions } {
  const partFiles: string[] = [];
  return {
    plugin: {
      name: 'rally:contract-preload',
      apply: 'build',
      generateBundle(_options, bundle) {
        partFiles.length = 0;
        for (const output of Object.values(bundle)) {
          if (output.type === 'chunk' && CONTRACT_PART.test(output.name)) partFiles.push(output.fileName);
        }
      },
    },
    modulePreload: {
      resolveDependencies: (filename, deps) => (CONTRACT_IN_STEPS.test(filename) ? [...new Set([...deps, ...partFiles])] : deps),
    },
  };
}
