// @ts-check
// The WAL checkpointer's thread (see wal-checkpointer.ts). Plain JavaScript: a worker thread does
// not inherit the TypeScript loader the server runs under.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

/** @type {{ file: string; intervalMs: number; restartAboveFrames: number }} */
const { file, intervalMs, restartAboveFrames } = workerData;
const sqlite = new SQLite(file, { fileMustExist: true });
sqlite.pragma('synchronous = NORMAL');
// A RESTART waits for a gap between the server's commits; it gives up rather than wait long.
sqlite.pragma('busy_timeout = 100');

/** Copies what the log holds into the database file; `mode` as `PRAGMA wal_checkpoint` takes it. */
function checkpoint(mode) {
  const [result] = /** @type {{ busy: number; log: number; checkpointed: number }[]} */ (sqlite.pragma(`wal_checkpoint(${mode})`));
  return result;
}

// A checkpoint that throws ends the thread (uncaught): the server's connection then checkpoints
// by itself again, rather than this thread failing quietly every interval.
const timer = setInterval(() => {
  const passive = checkpoint('PASSIVE');
  // Under a steady stream of writes a passive pass never finds the log fully copied at the
  // moment a write begins, and only then does SQLite start the log over. Past the bound, wait
  // for a gap and start it over.
  if (passive && passive.log > restartAboveFrames) checkpoint('RESTART');
}, intervalMs);

parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  sqlite.close();
  parentPort?.close();
});
