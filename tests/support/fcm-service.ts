import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect, type ConnectionOptions } from 'node:tls';
import type { Credential } from 'firebase-admin/app';
import { createTestCertificate } from './test-certificate';

/** A message as FCM's HTTP v1 `messages:send` received it. */
export interface ReceivedFcmMessage {
  projectId: string;
  authorization: string | undefined;
  status: number;
  message: {
    token: string;
    data?: Record<string, string>;
    android?: { priority?: string; ttl?: string; collapse_key?: string };
    webpush?: { headers?: Record<string, string> };
  };
}

export interface FcmStandIn {
  /** What `createFcmSender` (AppDeps.pushTransport.fcm) needs to reach this stand-in. */
  senderOptions: { projectId: string; credential: Credential; httpAgent: Agent };
  /** Tokens FCM no longer knows: a send to one is answered 404 UNREGISTERED. */
  unregister(token: string): void;
  /** The next answers (HTTP statuses) for one token, before it is answered normally again. */
  script(token: string, ...statuses: number[]): void;
  received(): ReceivedFcmMessage[];
  waitForAccepted(count: number, token?: string, timeoutMs?: number): Promise<ReceivedFcmMessage[]>;
  close(): Promise<void>;
}

const FCM_HOST = 'fcm.googleapis.com';

/**
 * A local stand-in of FCM's HTTP v1 send endpoint over HTTPS (self-signed, SAN fcm.googleapis.com).
 * The real `firebase-admin` reaches it through its supported seams: a credential whose token is
 * 'test', and an `httpAgent` that connects fcm.googleapis.com:443 to this server and trusts its certificate.
 */
export async function startFcmService(projectId = 'rally-test'): Promise<FcmStandIn> {
  const certificate = createTestCertificate([`DNS:${FCM_HOST}`]);
  const dead = new Set<string>();
  const scripts = new Map<string, number[]>();
  const log: ReceivedFcmMessage[] = [];
  const server: Server = createServer({ key: certificate.key, cert: certificate.cert }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const match = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(request.url ?? '');
      const { message } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { message: ReceivedFcmMessage['message'] };
      const status = !match ? 404 : (scripts.get(message.token)?.shift() ?? (dead.has(message.token) ? 404 : 200));
      log.push({ projectId: match?.[1] ?? '', authorization: request.headers.authorization, status, message });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answerOf(status, match?.[1] ?? projectId, log.length)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const httpAgent = fcmRoutingAgent(certificate.cert, port);
  const credential: Credential = { getAccessToken: async () => ({ access_token: 'test', expires_in: 3600 }) };
  const accepted = (token?: string) => log.filter((entry) => entry.status === 200 && (token === undefined || entry.message.token === token));

  return {
    senderOptions: { projectId, credential, httpAgent },
    unregister: (token) => dead.add(token),
    script: (token, ...statuses) => scripts.set(token, [...(scripts.get(token) ?? []), ...statuses]),
    received: () => [...log],
    async waitForAccepted(count, token, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (accepted(token).length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      return accepted(token);
    },
    async close() {
      httpAgent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      certificate.remove();
    },
  };
}

/** An agent that connects every request for fcm.googleapis.com to the local stand-in, verifying its certificate by that name. */
function fcmRoutingAgent(ca: string, port: number): Agent {
  const agent = new Agent({ ca, keepAlive: true });
  // Agent's own hook for making its sockets (a documented override); the typings make it protected.
  (agent as unknown as { createConnection: (options: ConnectionOptions, callback?: () => void) => unknown }).createConnection = (options, callback) =>
    connect({ ...options, host: '127.0.0.1', port, servername: FCM_HOST, ca }, callback);
  return agent;
}

function answerOf(status: number, projectId: string, n: number): unknown {
  if (status === 200) return { name: `projects/${projectId}/messages/${n}` };
  if (status === 404) {
    return {
      error: {
        code: 404,
        message: 'Requested entity was not found.',
        status: 'NOT_FOUND',
        details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' }],
      },
    };
  }
  return { error: { code: status, message: 'The service is currently unavailable.', status: status === 429 ? 'RESOURCE_EXHAUSTED' : 'UNAVAILABLE' } };
}
