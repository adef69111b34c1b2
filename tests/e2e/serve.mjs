// The server Playwright talks to: the production build on a fresh data directory, removed on exit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dataDir = mkdtempSync(path.join(tmpdir(), 'rally-e2e-'));
process.env.DATA_DIR = dataDir;
process.env.HOST ??= '127.0.0.1';
process.env.LOG_LEVEL ??= 'warn';
process.env.AUTH_RATE_LIMIT_PER_MINUTE ??= '1000';
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
await import('../../scripts/start.mjs');
