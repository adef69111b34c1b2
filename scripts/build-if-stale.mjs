// Builds the PWA when dist/ is missing or older than any of its inputs, so `npm start` on a
// fresh clone (or after a pull) serves what the source says.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const INPUTS = ['index.html', 'manifest.webmanifest', 'vite.config.ts', 'build', 'package-lock.json', 'src', 'sw', 'device-db', 'protocol', 'public'];
const STAMP = path.join(root, 'dist', 'index.html');

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

export function isBuildStale() {
  if (!existsSync(STAMP) || !existsSync(path.join(root, 'dist', 'sw.js'))) return true;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.some((input) => newestMtime(path.join(root, input)) > built);
}

export function buildIfStale({ force = false } = {}) {
  if (!force && !isBuildStale()) return;
  console.log('[rally] building the app (dist/ is missing or stale)…');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('vite build failed');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildIfStale({ force: process.argv.includes('--force') });
}
