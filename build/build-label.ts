import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * What a build calls itself: RALLY_BUILD_LABEL when set (a release pipeline's tag), else the
 * package version and the commit it was built from. Outside a git checkout (an unpacked source
 * tarball) the version alone.
 */
export function buildLabel(fromEnv: string | undefined): string {
  if (fromEnv?.trim()) return fromEnv.trim();
  const { version } = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string };
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return sha ? `${version}+${sha}` : version;
  } catch {
    return version;
  }
}
