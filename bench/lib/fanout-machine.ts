// How busy the whole machine was while bench/fanout ran: on two cores, anything else running
// (a test suite, a browser) takes CPU the server and clients would otherwise have, and the
// figures would then say more about that than about Rally. The bench reports it beside them.
import { readFileSync } from 'node:fs';

/** Linux reports /proc/stat in USER_HZ ticks, 100 a second on every mainstream architecture. */
const MS_PER_TICK = 10;

/** CPU time spent by every process on the machine so far (all cores), in ms; undefined off Linux. */
export function machineBusyMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) * MS_PER_TICK;
  } catch {
    return undefined;
  }
}

/** Cores' worth of CPU that other processes used over the next `ms` (this process's own use left out). */
export async function otherProcessesLoad(ms: number): Promise<number | undefined> {
  const before = machineBusyMs();
  const ownBefore = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineBusyMs();
  const own = process.cpuUsage(ownBefore);
  if (before === undefined || after === undefined) return undefined;
  return Math.max(0, after - before - (own.user + own.system) / 1000) / ms;
}
