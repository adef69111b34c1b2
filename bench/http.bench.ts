// bench/http: Rally's write route under load. autocannon (10 connections, 10 s) sends
// `POST /api/mutations` to the real app, with a real Bearer token, each request a distinct valid
// `activity.create`, so every one pays for auth, the write limit, validation, the exactly-once
// record, the change log and the event. The floor, in the same run and with the same settings: the
// bare write route (bench/lib/bare-write-server.ts), one SQLite insert a request. Afterwards the
// server's records are checked against the answers: every 200 recorded, nothing applied twice.
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type AutocannonResult } from 'autocannon';
import type { z } from 'zod';
import { newRowId, type CreateActivityMutation } from '../protocol';
import { startBareWriteServer } from './lib/bare-write-server';
import { startBenchServer } from './lib/bench-server';
import { registerViaApi } from './lib/bench-users';
import { reportResults } from './lib/results';

const LOAD = { connections: 10, duration: 10 };
const TITLE_PREFIX = 'load';

/** Load on one route, each request's JSON body made fresh by `bodyOf(n)` (n counts from 1). */
async function hammer(url: string, headers: Record<string, string>, bodyOf: (n: number) => object, onAnswer?: (status: number, body: string) => void) {
  let made = 0;
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url,
    ...LOAD,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        setupRequest: (request) => ({ ...request, body: JSON.stringify(bodyOf(++made)) }),
        ...(onAnswer ? { onResponse: onAnswer } : {}),
      },
    ],
  });
  const cpu = process.cpuUsage(cpuBefore);
  // On a shared machine wall-clock rates stretch with other load; this process's CPU time per
  // request (server and load generator together) does much less.
  return { ...result, cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / result.requests.total };
}

/** What a device sends to create an activity: the n-th mutation of `clientId`, with a fresh id made as the page makes it. */
function createActivity(clientId: string, n: number): z.input<typeof CreateActivityMutation> {
  return {
    clientId,
    // The client's own counter: it increases in the order the mutations are made. None names an
    // `afterMutationId`, so the order they arrive in over the 10 connections does not matter.
    mutationId: n,
    name: 'activity.create',
    createdAt: new Date().toISOString(),
    args: { id: newRowId(), fields: { title: `${TITLE_PREFIX} ${n}`, startsAt: new Date(Date.now() + 86_400_000).toISOString() } },
  };
}

async function main(): Promise<void> {
  // The per-user write limit (6,000 a minute) is there to stop one account flooding the server,
  // which is what this benchmark does on purpose: raise it out of the way.
  const server = await startBenchServer({ USER_WRITE_LIMIT_PER_MINUTE: '100000000' });
  const bare = await startBareWriteServer();
  try {
    const writer = await registerViaApi(server.url, 'Loader');
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: writer.email, password: writer.password }),
    });
    if (!login.ok) throw new Error(`login answered ${login.status}`);
    const { accessToken } = (await login.json()) as { accessToken: string };

    // One device (one clientId) writing as fast as 10 connections let it.
    const clientId = randomUUID();
    const answered = new Set<number>();
    const rally = await hammer(`${server.url}/api/mutations`, { authorization: `Bearer ${accessToken}` }, (n) => createActivity(clientId, n), (status, body) => {
      if (status === 200) answered.add((JSON.parse(body) as { mutationId: number }).mutationId);
    });
    const records = await settledRecords(server.app, clientId);
    // Rally first: whatever the second run gains from a warmer process goes to the floor.
    const floor = await hammer(`${bare.url}/write`, {}, (n) => ({ ...createActivity(clientId, n), id: newRowId() }));
    describe('rally', rally);
    describe('floor', floor);
    console.log(`load average (1 min) on ${cpus().length} cores: ${loadavg()[0]!.toFixed(1)}`);
    if (floor.non2xx + floor.errors > 0) throw new Error('the floor run was refused');

    const recorded = new Set(records.applied);
    const lost = [...answered].filter((id) => !recorded.has(id)).length;
    const appliedTwice = records.activities - records.distinctTitles + (records.activities - records.applied.length);
    // The run stops with up to one request in flight per connection: the server may apply it
    // after autocannon has stopped reading its answer. Anything beyond that went unanswered.
    const cutOff = recorded.size - (answered.size - lost);
    console.log(
      `answered 200: ${answered.size}; recorded as applied: ${recorded.size} (of which ${cutOff} sent as the run stopped, answer not read); ` +
        `activities created: ${records.activities}; refused and recorded: ${records.refused}`,
    );

    const throughput = rally.requests.average;
    const ratio = throughput / floor.requests.average;
    const ok = reportResults('http', [
      { metric: 'throughput vs floor', value: throughput, unit: 'requests/s', floor: floor.requests.average, ratio, target: '≥ 0.5× floor', pass: ratio >= 0.5 },
      { metric: 'p99 latency', value: rally.latency.p99, unit: 'ms', target: 'reported', pass: true },
      { metric: 'non-2xx', value: rally.non2xx, unit: 'responses', target: '0', pass: rally.non2xx === 0 },
      { metric: 'errors and timeouts', value: rally.errors + rally.timeouts, unit: 'requests', target: '0', pass: rally.errors + rally.timeouts === 0 },
      {
        metric: 'answered 200 but not recorded, or applied twice',
        value: lost + appliedTwice,
        unit: 'mutations',
        target: `0 (and ≤ ${LOAD.connections} recorded unanswered, cut off by the stop)`,
        pass: lost === 0 && appliedTwice === 0 && cutOff >= 0 && cutOff <= LOAD.connections,
      },
    ]);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await bare.close();
    await server.close();
  }
}

/**
 * The server's records of this client once they stop changing: requests cut off when autocannon
 * stopped may still be finishing on the server.
 */
async function settledRecords(app: Awaited<ReturnType<typeof startBenchServer>>['app'], clientId: string) {
  const { db } = app.database;
  const read = async () => {
    const mutations = await db.selectFrom('mutations').select(['mutationId', 'httpStatus']).where('clientId', '=', clientId).execute();
    const titles = await db
      .selectFrom('activities')
      .select((eb) => [eb.fn.countAll<number>().as('rows'), eb.fn.count<number>('title').distinct().as('distinct')])
      .where('title', 'like', `${TITLE_PREFIX} %`)
      .executeTakeFirstOrThrow();
    return {
      applied: mutations.filter((m) => Number(m.httpStatus) === 200).map((m) => Number(m.mutationId)),
      refused: mutations.filter((m) => Number(m.httpStatus) !== 200).length,
      activities: Number(titles.rows),
      distinctTitles: Number(titles.distinct),
    };
  };
  let last = await read();
  for (;;) {
    await sleep(200);
    const next = await read();
    if (next.applied.length === last.applied.length && next.activities === last.activities) return next;
    last = next;
  }
}

function describe(name: string, result: AutocannonResult & { cpuMsPerRequest: number }): void {
  const codes = Object.entries(result.statusCodeStats)
    .map(([code, { count }]) => `${count}×${code}`)
    .join(', ');
  console.log(
    `${name}: ${result.requests.average.toFixed(0)} requests/s (${result.requests.total} in ${result.duration.toFixed(1)} s), ` +
      `latency p50 ${result.latency.p50} ms p99 ${result.latency.p99} ms max ${result.latency.max} ms; ${codes}; errors ${result.errors}, timeouts ${result.timeouts}; ` +
      `${result.cpuMsPerRequest.toFixed(2)} ms of this process's CPU per request`,
  );
}

await main();
