import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The budget check of a real `vite build` (build/js-budget-plugin.ts): that it prints the figure,
// and that a build over its budget fails. Each build goes to a temp folder, so dist/ is untouched.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const viteBin = join(root, 'node_modules/vite/bin/vite.js');
const outDirs: string[] = [];

interface BuildOutcome {
  exitCode: number;
  output: string;
  outDir: string;
}

async function build(budgetKb: string): Promise<BuildOutcome> {
  const outDir = await mkdtemp(join(tmpdir(), 'rally-budget-'));
  outDirs.push(outDir);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [viteBin, 'build', '--outDir', outDir, '--emptyOutDir'],
      { cwd: root, env: { ...process.env, RALLY_JS_BUDGET_KB: budgetKb }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ exitCode, output: `${stdout}\n${stderr}`, outDir });
      },
    );
  });
}

afterAll(async () => {
  await Promise.all(outDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

let passing: BuildOutcome | undefined;

describe('the initial JS budget in a real build', () => {
  it('prints the initial JS figure and passes under the budget', { timeout: 120_000 }, async () => {
    const outcome = await build('10000');
    passing = outcome;
    expect(outcome.output).toMatch(/initial JS: \d+\.\d KB gzip \(budget 10000 KB\)/);
    expect(outcome.exitCode).toBe(0);
    // The build ran to the end: the worker with its precache is written.
    await expect(readFile(join(outcome.outDir, 'sw.js'), 'utf8')).resolves.toContain('index.html');
  });

  it('fails the build, naming the overrun, when the initial JS is over the budget', { timeout: 120_000 }, async () => {
    const outcome = await build('10');
    expect(outcome.exitCode).not.toBe(0);
    expect(outcome.output).toMatch(/initial JS: \d+\.\d KB gzip \(budget 10 KB\) is over by \d+\.\d KB: assets\/index-/);
  });
});

// build/contract-preload.ts: the contract's parts are evaluated one per task but fetched together.
describe('the contract in a real build', () => {
  it('preloads every part of the contract with each import of contract-in-steps', async () => {
    if (!passing) throw new Error('the passing build above did not run');
    const assets = join(passing.outDir, 'assets');
    const files = await readdir(assets);
    const parts = files.filter((file) => /^(zod|zod-without-eval|protocol-[a-z]+)-[\w-]+\.js$/.test(file));
    expect(parts.filter((file) => file.startsWith('protocol-')).length).toBeGreaterThanOrEqual(5);
    const entry = files.find((file) => /^index-.*\.js$/.test(file))!;
    const code = await readFile(join(assets, entry), 'utf8');
    const fileList = JSON.parse(/m\.f=(\[[^\]]*\])/.exec(code)![1]!) as string[];
    const imports = [...code.matchAll(/import\(["`]\.\/contract-in-steps-[\w-]+\.js["`]\)/g)];
    expect(imports.length).toBeGreaterThan(0);
    for (const found of imports) {
      // The preload list Vite passes beside this dynamic import: the first one after it.
      const indices = JSON.parse(/__vite__mapDeps\((\[[\d,]*\])\)/.exec(code.slice(found.index))![1]!) as number[];
      const preloaded = indices.map((i) => fileList[i]!.replace(/^assets\//, ''));
      expect(preloaded).toEqual(expect.arrayContaining(parts));
    }
  });
});
