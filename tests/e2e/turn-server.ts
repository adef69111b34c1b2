import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../support/rally-process';

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A real coturn on 127.0.0.1 with a shared secret (the scheme Rally mints credentials for),
 * relaying only on loopback. Started and stopped by the test; nothing else runs it here.
 */
export class TurnServer {
  readonly secret = randomBytes(24).toString('base64url');
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(binary = process.env.TURNSERVER_PATH ?? '/usr/bin/turnserver'): Promise<TurnServer> {
    const turn = new TurnServer(await freePort());
    // A relay port range of its own, away from the listening port.
    const minPort = 40_000 + Math.floor(Math.random() * 20_000);
    const args = [
      '-n',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${turn.port}`,
      `--min-port=${minPort}`,
      `--max-port=${minPort + 200}`,
      '--use-auth-secret',
      `--static-auth-secret=${turn.secret}`,
      '--realm=rally.test',
      '--no-tls',
      '--no-dtls',
      '--allow-loopback-peers',
      '--no-cli',
      '--log-file=stdout',
      `--pidfile=${path.join(tmpdir(), `rally-turn-${turn.port}.pid`)}`,
    ];
    const child = spawn(binary, args, { stdio: 'ignore' });
    turn.child = child;
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    // Ready once its TCP listener answers (it prints no line naming the port).
    const deadline = Date.now() + 10_000;
    while (!(await acceptsConnections(turn.port))) {
      if (child.exitCode !== null) throw new Error(`turnserver exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('turnserver did not start listening in 10 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return turn;
  }

  get url(): string {
    return `turn:127.0.0.1:${this.port}?transport=udp`;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
