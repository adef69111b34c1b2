// bench/fanout: 1,000 socket.io-client connections (Node, loopback) in one Rally chat room; one
// member sends 1,000 messages through the real message:send path (a mutation, a SQLite write, a
// broadcast to the room). Delivery latency p50/p99 and messages/s, against the floor of the
// same fan-out over the raw `ws` package in the same run; and the Rally server's memory per idle
// connection at 1,000 and 5,000 connections.
//
// Each server runs in a process of its own; the clients and the sender share this one. With two
// cores that is one core for the server and one for the clients. Every figure is for one sender
// and one room; see fanout-schedule.ts for the two schedules and how each figure is defined.
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectRallyRoom, connectWsRoom } from './lib/fanout-clients';
import { forkServer } from './lib/fanout-ipc';
import { otherProcessesLoad } from './lib/fanout-machine';
import { measureIdleMemory } from './lib/fanout-memory';
import { describePhase, describeSchedule, runPhase, waitForQuiet, type Contender, type PhaseResult, type Schedule } from './lib/fanout-schedule';
import type { RallyFanoutApi } from './lib/fanout-server';
import type { WsFanoutApi } from './lib/fanout-ws-server';
import { reportResults, type BenchResult } from './lib/results';

const ROOM_SIZE = 1000;
const MESSAGES = 1000;
/** A chat line of ordinary length; both transports carry exactly this body. */
const BODY_LENGTH = 120;
/** Sent first and not counted: the first messages pay for compiling the code paths they take. */
const WARM_UP: Schedule = { messages: 50, inFlight: 1, minIntervalMs: 20, bodyLength: BODY_LENGTH, blocks: 1 };
/** Latency: each message once the one before has reached everyone, at most 50 a second. */
const ONE_AT_A_TIME: Schedule = { messages: MESSAGES, inFlight: 1, minIntervalMs: 20, bodyLength: BODY_LENGTH, blocks: 10 };
/** Throughput: as fast as the room takes them, at most 10 messages on their way at a time. */
const WINDOWED: Schedule = { messages: MESSAGES, inFlight: 10, minIntervalMs: 0, bodyLength: BODY_LENGTH, blocks: 5 };
const IDLE_COUNTS = [1000, 5000] as const;
/** Nothing arriving for this long ends a phase; what has not arrived by then is lost. */
const QUIET_MS = 5000;

/** Other processes using more than this share of the two cores make the figures unreliable. */
const BUSY_CORES = 0.25;

const P99_TARGET_MS = 100;
const THROUGHPUT_TARGET_RATIO = 0.5;

const serverModule = (name: string) => fileURLToPath(new URL(`./lib/${name}`, import.meta.url));

interface FanoutRun {
  oneAtATime: PhaseResult;
  windowed: PhaseResult;
}

/**
 * Warm-up, then one message at a time, then a window of them; within each, the two rooms take
 * turns block by block.
 */
async function measureRooms(contenders: Contender[]): Promise<FanoutRun[]> {
  for (const contender of contenders) await waitForQuiet(contender.room, 1000);
  const warmUp = await runPhase(contenders, WARM_UP, QUIET_MS);
  for (const [i, result] of warmUp.entries()) {
    if (result.lost > 0) console.log(`  ${contenders[i]!.label} warm-up: lost ${result.lost} deliveries`);
  }
  const oneAtATime = await runPhase(contenders, ONE_AT_A_TIME, QUIET_MS);
  console.log(`${describeSchedule(ONE_AT_A_TIME)}:`);
  oneAtATime.forEach((result, i) => console.log(describePhase(contenders[i]!.label, result)));
  const windowed = await runPhase(contenders, WINDOWED, QUIET_MS);
  console.log(`${describeSchedule(WINDOWED)}:`);
  windowed.forEach((result, i) => console.log(describePhase(contenders[i]!.label, result)));
  return contenders.map((contender, i) => {
    const dropped = [...contender.room.dropped()].map(([reason, count]) => `${count} × ${reason}`);
    if (dropped.length) console.log(`  ${contender.label}: connections dropped during the run: ${dropped.join(', ')}`);
    return { oneAtATime: oneAtATime[i]!, windowed: windowed[i]! };
  });
}

/** The busiest phase's share of CPU taken by other processes, in cores (undefined off Linux). */
function othersLoad(runs: FanoutRun[]): number | undefined {
  const phases = runs.flatMap((run) => [run.oneAtATime, run.windowed]);
  if (phases.some((phase) => phase.othersCpuMs === undefined)) return undefined;
  return Math.max(...phases.map((phase) => phase.othersCpuMs! / phase.elapsedMs));
}

function lostResult(metric: string, run: FanoutRun): BenchResult {
  const lost = run.oneAtATime.lost + run.windowed.lost;
  const duplicated = run.oneAtATime.duplicated + run.windowed.duplicated;
  return { metric, value: lost + duplicated, unit: 'deliveries', target: '0 (lost or duplicated)', pass: lost === 0 && duplicated === 0 };
}

async function main(): Promise<void> {
  const load = await otherProcessesLoad(3000);
  if (load !== undefined) {
    console.log(`other processes on this machine: ${load.toFixed(2)} cores busy before the run`);
    // Two cores: one for the server, one for the clients. Anything else running skews every figure.
    if (load > BUSY_CORES) console.log('  WARNING: the machine is busy; latency and throughput below include waiting for CPU (see "other processes" per phase)');
  }
  const rally = await forkServer<RallyFanoutApi>(serverModule('fanout-server.ts'));
  const floor = await forkServer<WsFanoutApi>(serverModule('fanout-ws-server.ts'));
  try {
    const rallyUrl = await rally.call('url');

    console.log('memory per idle connection (Rally server process, after GC)');
    const idle = await measureIdleMemory(rally, rallyUrl, IDLE_COUNTS);
    await sleep(1000);

    const seeded = await rally.call('seedRoom', { members: ROOM_SIZE });
    const rallyRoom = await connectRallyRoom(rallyUrl, seeded.conversationId, seeded.members);
    const wsRoom = await connectWsRoom(await floor.call('url'), ROOM_SIZE);
    console.log(`\nSocket.IO (Rally): ${rallyRoom.size} connections in one room; raw ws (floor): ${wsRoom.size} connections`);
    let socketIo: FanoutRun;
    let ws: FanoutRun;
    try {
      [socketIo, ws] = (await measureRooms([
        { label: 'Socket.IO', room: rallyRoom, serverCpu: () => rally.call('cpu'), nextMessage: 1 },
        { label: 'raw ws', room: wsRoom, serverCpu: () => floor.call('cpu'), nextMessage: 1 },
      ])) as [FanoutRun, FanoutRun];
    } finally {
      rallyRoom.close();
      wsRoom.close();
    }
    const stored = await rally.call('countMessages', { conversationId: seeded.conversationId });
    const sent = WARM_UP.messages + ONE_AT_A_TIME.messages + WINDOWED.messages;
    console.log(`  messages stored by Rally: ${stored} of ${sent} sent`);

    const busiest = othersLoad([socketIo, ws]);
    if (busiest !== undefined && busiest > BUSY_CORES) {
      console.log(`\nWARNING: other processes took up to ${busiest.toFixed(2)} of the 2 cores during a phase; the figures include waiting for CPU`);
    }
    const throughputRatio = socketIo.windowed.messagesPerSecond / ws.windowed.messagesPerSecond;
    const results: BenchResult[] = [
      { metric: 'p50 latency', value: socketIo.oneAtATime.p50, unit: 'ms', floor: ws.oneAtATime.p50, ratio: socketIo.oneAtATime.p50 / ws.oneAtATime.p50, target: 'printed', pass: true },
      {
        metric: 'p99 latency',
        value: socketIo.oneAtATime.p99,
        unit: 'ms',
        floor: ws.oneAtATime.p99,
        ratio: socketIo.oneAtATime.p99 / ws.oneAtATime.p99,
        target: `≤ ${P99_TARGET_MS} ms`,
        pass: socketIo.oneAtATime.p99 <= P99_TARGET_MS,
      },
      {
        metric: 'throughput vs ws',
        value: socketIo.windowed.messagesPerSecond,
        unit: 'messages/s',
        floor: ws.windowed.messagesPerSecond,
        ratio: throughputRatio,
        target: `≥ ${THROUGHPUT_TARGET_RATIO}× raw ws`,
        pass: throughputRatio >= THROUGHPUT_TARGET_RATIO,
      },
      lostResult('lost (Socket.IO)', socketIo),
      lostResult('lost (raw ws)', ws),
      { metric: 'messages stored', value: stored, unit: 'messages', target: `${sent} (one write per message)`, pass: stored === sent },
      ...(busiest === undefined
        ? []
        : [{ metric: 'other processes (busiest phase)', value: busiest, unit: 'cores', target: `printed (above ${BUSY_CORES} the figures include waiting for CPU)`, pass: true }]),
      ...idle.map(
        (m): BenchResult => ({ metric: `memory per idle connection (${m.connections})`, value: m.heapKb, unit: 'KB heap used + external', target: 'printed', pass: true }),
      ),
      // RSS is printed for the step from 1,000 to 5,000 only: the first 1,000 connections move
      // into pages the process already holds from seeding (freed by GC, kept by the allocator),
      // so their RSS step says little (it even came out negative).
      ...idle.slice(1).map(
        (m, i): BenchResult => ({
          metric: `RSS per idle connection (${idle[i]!.connections} → ${m.connections})`,
          value: m.rssStepKb,
          unit: 'KB RSS',
          target: 'printed',
          pass: true,
        }),
      ),
    ];
    process.exitCode = reportResults('fanout', results) ? 0 : 1;
  } finally {
    await Promise.all([rally.stop(), floor.stop()]);
  }
}

await main();
