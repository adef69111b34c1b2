import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A Rally server of the test's own (the shared one cannot be restarted): the production build on
 * a data directory that survives restarts, removed when the test is done with it.
 */
export class ServerProcess {
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'rally-e2e-own-'));
  private child: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    /** Extra environment for the server (e.g. ACCESS_TOKEN_TTL_SECONDS). */
    private env: Record<string, string> = {},
  ) {}

  /** On a port nobody is using, so a stray server from an earlier run cannot answer for it. */
  static async onFreePort(options: { env?: Record<string, string> } = {}): Promise<ServerProcess> {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    return new ServerProcess(port, options.env);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      env: { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', DATA_DIR: this.dataDir, LOG_LEVEL: 'warn', AUTH_RATE_LIMIT_PER_MINUTE: '1000', ...this.env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.child = child;
    // Never outlive the test run, whatever way it ends.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        if ((await fetch(`${this.url}/api/ready`)).ok && child.exitCode === null) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('server did not become ready in 30 s');
  }

  /** SIGTERM, and wait for the graceful shutdown to finish. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    this.child = null;
  }

  /**
   * SIGKILL: the process dies where it stands, with no graceful shutdown (open connections cut,
   * a transaction in progress lost, the SQLite WAL left for the next start to recover).
   */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  /** Restarts with more environment (e.g. ADMIN_USER_IDS naming a user registered on it). */
  async restart(extraEnv: Record<string, string> = {}): Promise<void> {
    await this.stop();
    this.env = { ...this.env, ...extraEnv };
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
