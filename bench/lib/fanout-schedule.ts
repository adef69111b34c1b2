// How bench/fanout sends: the same schedules, bodies and counts for Rally and for the ws floor,
// in blocks that alternate between the two so that both meet the machine in the same state.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FanoutRoom } from './fanout-clients';
import { clock, createDeliveryLog, writeBody, type DeliveryLog, type DeliverySummary } from './fanout-deliveries';
import { machineBusyMs } from './fanout-machine';

/**
 * When member 0 sends: message i goes once fewer than `inFlight` earlier messages have yet to
 * reach every member, and no sooner than `minIntervalMs` after message i - 1.
 *
 * With `inFlight` 1 each message has the room to itself, as in a room where people talk (a line
 * every few seconds): the latency measured is what one message takes to reach everyone, not the
 * wait behind a backlog. A fixed-interval sender would measure that only while both processes
 * keep up, which on two shared cores depends on whatever else runs (checked: at one message per
 * 50 ms, a test suite running beside the bench turned 30 ms into seconds of queue).
 *
 * With a larger `inFlight` the sender keeps the room saturated, for throughput, with queues
 * bounded: an unbounded burst queues many seconds of messages in front of socket.io's heartbeat,
 * and the server drops connections whose pong is late; that would measure the heartbeat.
 */
export interface Schedule {
  messages: number;
  inFlight: number;
  minIntervalMs: number;
  /** Characters in every body, both transports alike. */
  bodyLength: number;
  /**
   * The messages go in this many blocks, the contenders taking turns block by block. Anything
   * else on the machine that starts or stops then weighs on both alike, not on one of them.
   */
  blocks: number;
}

export interface Contender {
  label: string;
  room: FanoutRoom;
  serverCpu: () => Promise<NodeJS.CpuUsage>;
  /** The next message number not yet used in this room. */
  nextMessage: number;
}

interface Tally {
  /** Sending time summed over the blocks: from each block's first send to its last delivery, in ms. */
  elapsedMs: number;
  /** Sends the server refused or that failed (their deliveries also count as lost). */
  failedSends: number;
  /** CPU time, in ms: the server's process, this (the clients') process, everything else on the machine. */
  serverCpuMs: number;
  clientsCpuMs: number;
  othersCpuMs: number | undefined;
}

export interface PhaseResult extends DeliverySummary, Tally {
  /** Deliveries per second of sending time, divided by the room size: messages fully fanned out per second. */
  messagesPerSecond: number;
  deliveriesPerSecond: number;
}

/** Nothing has arrived for `quietMs`: the room's own chatter (presence on connect) is over. */
export async function waitForQuiet(room: FanoutRoom, quietMs: number): Promise<void> {
  while (clock() - room.lastActivityAt() < quietMs) await sleep(quietMs / 4);
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/**
 * Sends messages `from` to `from + count - 1` of the phase (in the log's numbering) and waits
 * until every member has them, or nothing has arrived for `quietMs` (the rest count as lost).
 */
async function runBlock(contender: Contender, log: DeliveryLog, firstNumber: number, from: number, count: number, schedule: Schedule, quietMs: number): Promise<Tally> {
  contender.room.listen((member, body) => log.record(member, body));
  const serverBefore = cpuMs(await contender.serverCpu());
  const clientsBefore = process.cpuUsage();
  const machineBefore = machineBusyMs();

  const sends: Promise<void>[] = [];
  let failedSends = 0;
  let firstSentAt: number | undefined;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  for (let i = from; i < from + count; i++) {
    if (i >= schedule.inFlight && !(await log.settled(quietMs, i - schedule.inFlight + 1))) {
      // A message never reached someone: the window would wait forever. The unsent ones count as lost.
      break;
    }
    const wait = lastSentAt + schedule.minIntervalMs - clock();
    if (wait > 1) await sleep(wait);
    lastSentAt = clock();
    firstSentAt ??= lastSentAt;
    // Handled at once: a refusal while later messages are still being sent is counted, not fatal.
    const send = contender.room.send(writeBody(firstNumber + i, lastSentAt, schedule.bodyLength)).catch((error: unknown) => {
      if (failedSends++ === 0) console.log(`  ${contender.label}: a send failed: ${String(error)}`);
    });
    sends.push(send);
  }
  await Promise.all(sends);
  await log.settled(quietMs, from + count);

  const clientsCpuMs = cpuMs(process.cpuUsage(clientsBefore));
  const machineAfter = machineBusyMs();
  const serverCpuMs = cpuMs(await contender.serverCpu()) - serverBefore;
  return {
    elapsedMs: firstSentAt === undefined ? 0 : Math.max(0, log.lastDeliveredAt() - firstSentAt),
    failedSends,
    serverCpuMs,
    clientsCpuMs,
    othersCpuMs: machineBefore !== undefined && machineAfter !== undefined ? Math.max(0, machineAfter - machineBefore - serverCpuMs - clientsCpuMs) : undefined,
  };
}

/** Runs `schedule` for every contender, block by block in turns; one result per contender, in order. */
export async function runPhase(contenders: Contender[], schedule: Schedule, quietMs: number): Promise<PhaseResult[]> {
  const phases = contenders.map((contender) => {
    const firstNumber = contender.nextMessage;
    contender.nextMessage += schedule.messages;
    const tally: Tally = { elapsedMs: 0, failedSends: 0, serverCpuMs: 0, clientsCpuMs: 0, othersCpuMs: 0 };
    return { contender, firstNumber, log: createDeliveryLog(contender.room.size, schedule.messages, firstNumber), tally };
  });
  const blockSize = Math.ceil(schedule.messages / schedule.blocks);
  for (let from = 0; from < schedule.messages; from += blockSize) {
    for (const { contender, firstNumber, log, tally } of phases) {
      const block = await runBlock(contender, log, firstNumber, from, Math.min(blockSize, schedule.messages - from), schedule, quietMs);
      tally.elapsedMs += block.elapsedMs;
      tally.failedSends += block.failedSends;
      tally.serverCpuMs += block.serverCpuMs;
      tally.clientsCpuMs += block.clientsCpuMs;
      tally.othersCpuMs = tally.othersCpuMs === undefined || block.othersCpuMs === undefined ? undefined : tally.othersCpuMs + block.othersCpuMs;
    }
  }
  return phases.map(({ contender, log, tally }) => {
    const summary = log.summarize();
    const deliveriesPerSecond = tally.elapsedMs > 0 ? (summary.delivered / tally.elapsedMs) * 1000 : 0;
    return { ...summary, ...tally, deliveriesPerSecond, messagesPerSecond: deliveriesPerSecond / contender.room.size };
  });
}

export function describeSchedule(schedule: Schedule): string {
  const gap = schedule.minIntervalMs > 0 ? `, at least ${schedule.minIntervalMs} ms apart` : '';
  const blocks = schedule.blocks > 1 ? `, in ${schedule.blocks} blocks taking turns` : '';
  return `${schedule.messages} messages, ${schedule.inFlight === 1 ? 'one at a time' : `up to ${schedule.inFlight} in flight`}${gap}${blocks}`;
}

const share = (cpu: number, elapsedMs: number) => `${(cpu / 1000).toFixed(1)} s (${((cpu / elapsedMs) * 100).toFixed(0)}%)`;

export function describePhase(label: string, result: PhaseResult): string {
  const others = result.othersCpuMs !== undefined ? `, other processes ${share(result.othersCpuMs, result.elapsedMs)}` : '';
  return [
    `  ${label}: ${result.delivered}/${result.expected} delivered (lost ${result.lost}, duplicated ${result.duplicated}` +
      `${result.failedSends ? `, ${result.failedSends} sends failed` : ''}) in ${(result.elapsedMs / 1000).toFixed(2)} s of sending`,
    `    latency p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms`,
    `    ${result.messagesPerSecond.toFixed(1)} messages/s fully fanned out (${Math.round(result.deliveriesPerSecond)} deliveries/s)`,
    `    CPU: server ${share(result.serverCpuMs, result.elapsedMs)}, clients ${share(result.clientsCpuMs, result.elapsedMs)}${others}`,
  ].join('\n');
}
