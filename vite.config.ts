import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA, type ManifestOptions } from 'vite-plugin-pwa';
import { parseBudgetKb } from './build/js-budget';
import { jsBudget } from './build/js-budget-plugin';
import { buildLabel } from './build/build-label';
import { contractPreload } from './build/contract-preload';

// manifest.webmanifest is the one manifest source; the plugin only copies it into the build and
// links it, so editing the file is all it takes to change the installed app.
const manifest = JSON.parse(
  readFileSync(fileURLToPath(new URL('./manifest.webmanifest', import.meta.url)), 'utf8'),
) as Partial<ManifestOptions>;

// Issue 13: what index.html loads before any dynamic import, gzipped; the build fails over it.
// The goal was 150, reached at 146.3 (from 211.5); 130.5 since routing went from React
// Router's data router to its component routes (src/app/router.tsx), so the budget is now 140.
// react-dom, react-router and dexie are ~110 KB of it, the feed, the header and the device's
// live queries the rest. Everything that talks to the
// server (outbox sender, sync engine, socket.io-client, the zod schemas), TanStack Query,
// workbox-window and every screen but the feed load after the first paint (docs/ARCHITECTURE.md,
// "Code splitting"). Lower this as code leaves the start path; never raise it without saying why
// in the commit.
// RALLY_JS_BUDGET_KB overrides it only so a test can prove the check fails
// (tests/server/build/js-budget-build.test.ts).
const jsBudgetKb = parseBudgetKb(process.env['RALLY_JS_BUDGET_KB'], 140);

const contractParts = contractPreload();

const apiTarget = `http://localhost:${process.env['RALLY_API_PORT'] ?? '8080'}`;

export default defineConfig({
  // Shown in Settings as "Version …" (support asks for it; the update test tells builds apart by it).
  define: { __RALLY_BUILD__: JSON.stringify(buildLabel(process.env['RALLY_BUILD_LABEL'])) },
  plugins: [
    react(),
    jsBudget({ budgetKb: jsBudgetKb }),
    contractParts.plugin,
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      // The page registers the worker itself (src/app/service-worker.ts) so no inline script is
      // injected: the CSP allows scripts from 'self' only.
      injectRegister: false,
      registerType: 'prompt',
      manifest,
      includeManifestIcons: false,
      injectManifest: {
        // The webmanifest stays out of the precache: the browser fetches it itself, and a stale
        // copy would pin old install metadata.
        globPatterns: ['**/*.{js,css,html,svg,png,ico,woff2}'],
        // Store screenshots are for the install dialog, which fetches them online anyway.
        // Firebase's chunks are fetched only when push is set up, which needs the network anyway;
        // precaching them would fetch them on the first visit.
        globIgnores: ['screenshots/**', 'assets/firebase*'],
        // A classic script (no ES imports left) registers everywhere, module workers do not.
        rollupFormat: 'iife',
      },
      devOptions: { enabled: false },
      integration: {
        // The plugin always adds the webmanifest to the precache (after every glob and transform);
        // take it back out just before the worker is built.
        beforeBuildServiceWorker(options) {
          const entries = options.injectManifest.additionalManifestEntries ?? [];
          options.injectManifest.additionalManifestEntries = entries.filter(
            (entry) => (typeof entry === 'string' ? entry : entry.url) !== options.manifestFilename,
          );
        },
      },
    }),
  ],
  build: {
    outDir: 'dist',
    modulePreload: contractParts.modulePreload,
    rollupOptions: {
      output: {
        codeSplitting: {
          groups: [
            // Firebase is imported only when push is set up (src/features/push/register-device.ts):
            // one chunk of its own, named so, which the first page load never fetches (push.spec.ts).
            { name: 'firebase', test: /node_modules[\\/](firebase|@firebase)[\\/]/, priority: 5 },
            // socket.io-client comes with what talks to the server (src/app/local-data/OnlineParts.tsx,
            // after the first paint); named so its chunk is recognisable. Unlike firebase it is
            // precached: a page started offline connects once the network is back, with no fetch of code.
            { name: 'socket-io', test: /node_modules[\\/](socket\.io-client|socket\.io-parser|engine\.io-client|engine\.io-parser)[\\/]/, priority: 4 },
            // The contract's schemas in parts, which src/net/contract-in-steps.ts builds one per task.
            // After the first load's chunk has taken what index.html needs, and Zod its own chunk, so
            // that neither is pulled into a part as one of its dependencies.
            { name: 'zod', test: /node_modules[\\/]zod[\\/]/, priority: 2 },
            { name: 'protocol-activities', test: /[\\/]protocol[\\/](activity-fields|activities|worker-messages)\.ts$/, priority: 1 },
            { name: 'protocol-chat', test: /[\\/]protocol[\\/](photos|chat|calls)\.ts$/, priority: 1 },
            { name: 'protocol-push', test: /[\\/]protocol[\\/]push\.ts$/, priority: 1 },
            { name: 'protocol-sync', test: /[\\/]protocol[\\/]sync\.ts$/, priority: 1 },
            { name: 'protocol-mutations', test: /[\\/]protocol[\\/]mutations\.ts$/, priority: 1 },
            // Everything index.html loads before any dynamic import, in one chunk beside the entry.
            // Split by what the lazy screens share, it was 19 files, and a warm start's service
            // worker answers its fetches one after another: about half a second of a start offline.
            { name: 'start', tags: ['$initial'], priority: 3 },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/socket.io': { target: apiTarget, ws: true, changeOrigin: false },
    },
  },
});
