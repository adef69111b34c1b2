// The Rally server's memory per idle connection, for bench/fanout: sockets that connected,
// authenticated and joined their user room, then do nothing.
import { setTimeout as sleep } from 'node:timers/promises';
import { connectIdleRallySockets } from './fanout-clients';
import type { ForkedServer } from './fanout-ipc';
import type { RallyFanoutApi } from './fanout-server';

export interface IdleMemory {
  connections: number;
  /** V8 heap in use plus memory V8 tracks outside it (Buffers), after GC: what the connections' objects hold. */
  heapKb: number;
  /** Resident set size after GC, against the sample before this count's connections were added. */
  rssStepKb: number;
}

/** The server's memory per idle connection at each count (cumulative: the second count adds to the first). */
export async function measureIdleMemory(rally: ForkedServer<RallyFanoutApi>, url: string, counts: readonly number[]): Promise<IdleMemory[]> {
  const people = await rally.call('seedUsers', { count: Math.max(...counts), label: 'idle' });
  // A few connections first, closed again: the first ones pay for code and caches once.
  const warm = await connectIdleRallySockets(url, people.slice(0, 50));
  warm.close();
  await sleep(1000);
  const baseline = (await rally.call('sample')).memory;
  let previous = { connections: 0, memory: baseline };
  const open: { close(): void }[] = [];
  const results: IdleMemory[] = [];
  try {
    for (const count of counts) {
      open.push(await connectIdleRallySockets(url, people.slice(previous.connections, count)));
      // Let the handshakes' leftovers (presence timers, handshake buffers) settle before sampling.
      await sleep(1000);
      const memory = (await rally.call('sample')).memory;
      const heapGrowth = memory.heapUsed + memory.external - (baseline.heapUsed + baseline.external);
      const rssStep = memory.rss - previous.memory.rss;
      results.push({ connections: count, heapKb: heapGrowth / count / 1024, rssStepKb: rssStep / (count - previous.connections) / 1024 });
      console.log(
        `  ${count} idle connections: heapUsed +${((memory.heapUsed - baseline.heapUsed) / 2 ** 20).toFixed(1)} MB, ` +
          `external +${((memory.external - baseline.external) / 2 ** 20).toFixed(1)} MB; RSS ${(rssStep / 2 ** 20).toFixed(1)} MB ` +
          `more than at ${previous.connections}`,
      );
      previous = { connections: count, memory };
    }
  } finally {
    open.forEach((sockets) => sockets.close());
  }
  return results;
}
