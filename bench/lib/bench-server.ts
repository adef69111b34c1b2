import { chromium, type Browser } from '@playwright/test';
import { buildIfStale } from '../../scripts/build-if-stale.mjs';
import { printMachineLoad } from './results';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type RallyApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { loadOrCreateSecrets } from '../../server/secrets';

/**
 * The real app, serving the production build, on a throwaway SQLite file and a free port. `env`
 * adds to or overrides the bench's settings (names as in server/config.ts).
 */
export async function startBenchServer(env: NodeJS.ProcessEnv = {}): Promise<{ app: RallyApp; url: string; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rally-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', STATIC_DIR: path.resolve('dist'), AUTH_RATE_LIMIT_PER_MINUTE: '1000', ...env });
  const app = await createApp({ config, secrets: loadOrCreateSecrets(config) });
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.http.server.address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.http.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Chromium 156 opens, with every new tab, even headless, a renderer for its address bar's
  // popup (chrome://omnibox-popup.top-chrome) that parses about 2 s of its own script on these
  // two cores while the page under test loads. No page and no installed app has that bar, so a
  // figure that includes it measures the browser's window, not Rally.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup',
];

/**
 * A browser bench's frame: the build brought up to date, the real app on a throwaway database,
 * Debian's Chromium with `chromiumArgs` besides the usual ones; `run` returns whether every figure
 * passed. Prints how busy the machine was, sets the exit code and closes both, whatever happened.
 */
export async function runBrowserBench(
  options: { env?: NodeJS.ProcessEnv; chromiumArgs?: string[] },
  run: (server: Awaited<ReturnType<typeof startBenchServer>>, browser: Browser) => Promise<boolean>,
): Promise<void> {
  buildIfStale();
  const server = await startBenchServer(options.env);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...(options.chromiumArgs ?? [])] });
  try {
    const ok = await run(server, browser);
    printMachineLoad();
    process.exitCode = ok ? 0 : 1;
  } finally {
    await browser.close();
    await server.close();
  }
}
