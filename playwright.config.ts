import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 8765);

// The chat features still rolling out behind flags are on for every server the tests start (the
// shared one and each ServerProcess inherit this); feature-flags.spec starts one without them.
process.env.FLAGS_TARGETING ??= JSON.stringify({ 'chat-reactions': { enabled: true }, 'chat-photos': { enabled: true } });

/**
 * End to end in Debian's Chromium against the production build, served by the real server on a
 * throwaway data directory. One worker: the tests share that server and this machine has 2 cores.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  fullyParallel: false,
  // On CI one retry, so a test that fails once under the machine's load and then passes does not
  // sink the run; scripts/test.mjs names every such flaky test in its summary, so none goes unseen.
  retries: process.env.CI ? 1 : 0,
  // Under `npm test` (scripts/test.mjs sets RALLY_FORBID_ONLY) or CI a stray `.only` fails the run
  // instead of quietly skipping every other test; running one file by hand may still use it.
  forbidOnly: !!process.env.CI || !!process.env.RALLY_FORBID_ONLY,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    serviceWorkers: 'allow',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'node tests/e2e/serve.mjs',
    url: `http://127.0.0.1:${PORT}/api/ready`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { PORT: String(PORT) },
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
