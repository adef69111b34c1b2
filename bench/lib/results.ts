import { cpus, loadavg } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface BenchResult {
  metric: string;
  value: number;
  unit: string;
  /** The baseline measured in the same run, where the target is relative to one. */
  floor?: number;
  ratio?: number;
  target: string;
  pass: boolean;
}

/** Prints the figures beside their floors and targets, and writes bench/results/<name>.json. */
export function reportResults(name: string, results: BenchResult[]): boolean {
  console.log(`\n${name}`);
  for (const r of results) {
    const floor = r.floor !== undefined ? `  floor ${r.floor.toFixed(1)} ${r.unit}  ratio ${r.ratio?.toFixed(2)}×` : '';
    console.log(`  ${r.pass ? 'PASS' : 'FAIL'}  ${r.metric}: ${r.value.toFixed(1)} ${r.unit}${floor}  (target ${r.target})`);
  }
  const dir = path.resolve('bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  return results.every((r) => r.pass);
}

/** The p-th percentile (nearest rank) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Wall-clock figures mean little on a busy machine: every run says how busy it was. */
export function printMachineLoad(): void {
  console.log(`load average (1 min) on ${cpus().length} cores: ${loadavg()[0]!.toFixed(1)}`);
}
