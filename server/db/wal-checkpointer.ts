import { Worker } from 'node:worker_threads';
import type { Database as SqliteHandle } from 'better-sqlite3';

export interface WalCheckpointer {
  /** Resolves once the thread has closed its connection. */
  stop(): Promise<void>;
}

const THREAD = new URL('./wal-checkpoint-thread.mjs', import.meta.url);
/** SQLite's own threshold, in pages. */
const AUTOMATIC_PAGES = 1000;

/**
 * Checkpoints the WAL on a thread of its own. SQLite's automatic checkpoint runs inside the
 * COMMIT that crosses its threshold: every thousand pages, one commit copies them all into the
 * database file and syncs it, on the event loop, while every request and socket waits. Under
 * `bench/http` that was ~40 % of the commits' time. Here a second connection, on a worker thread,
 * copies the log into the database file as it grows, beside the server's writes (a PASSIVE
 * checkpoint takes no lock a writer needs).
 *
 * If a checkpoint fails (an I/O error, say), the thread ends and the connection goes back to
 * checkpointing itself.
 */
export function startWalCheckpointer(sqlite: SqliteHandle, file: string, options: { intervalMs?: number; restartAboveFrames?: number } = {}): WalCheckpointer {
  sqlite.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(THREAD, {
    // Plain JavaScript: none of the server's loaders or flags.
    execArgv: [],
    workerData: { file, intervalMs: options.intervalMs ?? 100, restartAboveFrames: options.restartAboveFrames ?? 16 * AUTOMATIC_PAGES },
  });
  // It must not keep a server that is otherwise done from exiting.
  worker.unref();
  let fallenBack = false;
  const fallBack = (reason: string) => {
    if (fallenBack) return;
    fallenBack = true;
    console.warn(`sqlite: the WAL checkpoint thread failed (${reason}); checkpointing on the main thread again`);
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTOMATIC_PAGES}`);
  };
  worker.on('error', (error) => fallBack(error.message));
  let stopped = false;
  const exited = new Promise<void>((resolve) =>
    worker.on('exit', (code) => {
      if (!stopped) fallBack(`it exited with code ${code}`);
      resolve();
    }),
  );
  return {
    async stop() {
      stopped = true;
      // Held while it stops: otherwise a process with nothing else to do exits before it has.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
