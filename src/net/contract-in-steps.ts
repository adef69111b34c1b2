import { nextTask } from '../data/next-task';

/**
 * Builds the contract's zod schemas (protocol/) a part at a time, with a task boundary between
 * the parts, before the first screen or OnlineParts imports them all at once.
 *
 * Zod builds every schema as its module is evaluated, and a chunk's modules are evaluated in one
 * go: the whole contract was one long task of about 45 ms on this machine's CPU (180 ms on
 * Lighthouse's mobile profile), the longest of a signed-in page load after the first render (issue
 * 13, "the page never freezes"). vite.config.ts puts each part below in a chunk of its own; each
 * import here evaluates only what the earlier ones have not, and the browser paints and takes input
 * between them. The parts come in dependency order, so none pulls the next in early.
 */
const PARTS: readonly (() => Promise<unknown>)[] = [
  () => import('../../protocol/activities'),
  () => import('../../protocol/chat'),
  () => import('../../protocol/push'),
  () => import('../../protocol/sync'),
  () => import('../../protocol/mutations'),
];

let built: Promise<void> | null = null;

/** Resolves once every part is built; the first call starts it, later ones share it. */
export function buildContractInSteps(): Promise<void> {
  built ??= (async () => {
    // Zod reads its configuration as each schema is created (src/net/zod-without-eval.ts).
    await import('./zod-without-eval');
    for (const part of PARTS) {
      await nextTask();
      await part();
    }
  })();
  return built;
}
