// Request and reply between bench/fanout and the servers it forks. Each server runs in its own
// process so that its CPU and memory are its own, not mixed with the 1,000 clients'.
import { fork, type ChildProcess } from 'node:child_process';

/** What a forked server answers: each method takes at most one argument and resolves to plain data. */
export type ServerApi = Record<string, (arg: never) => Promise<unknown>>;

interface Request {
  id: number;
  method: string;
  arg: unknown;
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** Sent once by the child when it listens for requests; messages sent before that would be lost. */
const READY = 'fanout-server-ready';

/**
 * In the child: answers the parent's requests with `api`. When the parent lets go (it is done, or
 * it died), runs `cleanUp` and exits, so no orphan holds ports or temp files.
 */
export function answerParent<Api extends ServerApi>(api: Api, cleanUp: () => Promise<void>): void {
  if (!process.send) throw new Error('This module is a forked bench server; run bench/fanout.bench.ts instead');
  const send = process.send.bind(process);
  process.on('message', (request: Request) => {
    const method = api[request.method];
    const reply = (message: Reply) => send(message);
    if (!method) {
      reply({ id: request.id, ok: false, error: `no method ${request.method}` });
      return;
    }
    method(request.arg as never).then(
      (value) => reply({ id: request.id, ok: true, value }),
      (error: unknown) => reply({ id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  process.on('disconnect', () => {
    cleanUp().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
  send(READY);
}

export interface ForkedServer<Api extends ServerApi> {
  call<K extends keyof Api & string>(method: K, ...arg: Parameters<Api[K]>): ReturnType<Api[K]>;
  /** Ends the child: lets go of it (it cleans up and exits), and kills it if it has not left after a while. */
  stop(): Promise<void>;
}

/** Forks `modulePath` under tsx with --expose-gc, and resolves once it answers requests. */
export async function forkServer<Api extends ServerApi>(modulePath: string): Promise<ForkedServer<Api>> {
  const child: ChildProcess = fork(modulePath, [], { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: 'inherit' });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    for (const { reject } of pending.values()) reject(new Error(`${modulePath} exited (code ${code}, signal ${signal})`));
    pending.clear();
  });

  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (message !== READY) return;
      child.off('exit', onEarlyExit);
      resolve();
    };
    const onEarlyExit = (code: number | null) => reject(new Error(`${modulePath} exited (code ${code}) before it was ready`));
    child.on('message', onMessage);
    child.once('exit', onEarlyExit);
  });
  child.on('message', (message: Reply | typeof READY) => {
    if (message === READY) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.value);
    else waiter?.reject(new Error(`${modulePath}: ${message.error}`));
  });

  return {
    call(method, ...arg) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, method, arg: arg[0] } satisfies Request);
      }) as ReturnType<Api[typeof method]>;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
