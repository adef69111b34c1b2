import { spawn } from 'node:child_process';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../protocol';
import { freePort } from '../support/rally-process';

describe('graceful shutdown', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rally-shutdown-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('on SIGTERM closes sockets, refuses new requests, finishes the one in flight and exits cleanly within 5 s', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, STATIC_DIR: path.join(dataDir, 'none'), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${url}/api/ready`)).ok) break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const registered = await fetch(`${url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'shut@example.test', password: 'long enough pw', displayName: 'Shut' }),
    });
    const { accessToken } = (await registered.json()) as { accessToken: string };
    const socket = io(url, { auth: { token: accessToken, protocolVersion: PROTOCOL_VERSION }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    // A request in flight when the signal comes: its headers are in (the server has answered
    // 100 Continue, so it has taken the request), its body is not yet sent.
    const inFlight = await startRequestWithBodyPending(port, '/api/auth/register');

    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    // New requests are refused promptly, while the process is still alive (it waits for the one in flight).
    const refused = refusedWithin(`${url}/api/health`, 1_500);
    // "transport close", not "io server disconnect": the latter tells clients not to reconnect.
    expect(await disconnected).toBe('transport close');
    expect(await refused).toBe(true);
    expect({ exitCode: child.exitCode, signalCode: child.signalCode }).toEqual({ exitCode: null, signalCode: null });

    // The request in flight still gets its answer; only then does the process exit.
    const answered = await inFlight.finish(JSON.stringify({ email: 'late@example.test', password: 'long enough pw', displayName: 'Late' }));
    expect(answered.status).toBe(201);
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
    socket.close();
  });
});

/** Sends a POST's headers on a connection of its own and waits for 100 Continue; `finish` sends the body. */
async function startRequestWithBodyPending(port: number, pathname: string): Promise<{ finish(body: string): Promise<{ status: number | undefined }> }> {
  const req = httpRequest({
    host: '127.0.0.1',
    port,
    path: pathname,
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', expect: '100-continue' },
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  response.catch(() => undefined); // awaited, and so reported, by finish
  const accepted = new Promise<void>((resolve, reject) => {
    req.once('continue', resolve);
    req.once('error', reject);
  });
  req.flushHeaders();
  await accepted;
  return {
    async finish(body) {
      req.end(body);
      const answer = await response;
      answer.resume();
      return { status: answer.statusCode };
    },
  };
}

/**
 * True once a request to `url` is refused (connection refused, or 503 while closing) within
 * `timeoutMs`. Other failures, such as a pooled connection the server has just closed, try again.
 */
async function refusedWithin(url: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const response = await fetch(url);
      if (response.status === 503) return true;
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}
