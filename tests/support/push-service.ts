import { createECDH, randomBytes, randomUUID, type ECDH } from 'node:crypto';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { decrypt } from 'http_ece';
import type { WebPushSubscription } from '../../protocol';
import { createTestCertificate, type TestCertificate } from './test-certificate';

/** How the stand-in answers one push: a status, and for 429/503 a Retry-After. */
export type PushAnswer = { status: number; retryAfter?: string };

/** A push as the stand-in received it: its headers and, for an accepted one, its decrypted body. */
export interface ReceivedPush {
  subscriptionId: string;
  status: number;
  ttl: string | undefined;
  urgency: string | undefined;
  topic: string | undefined;
  contentEncoding: string | undefined;
  /** The decrypted body parsed as JSON (null when it was not accepted or did not decrypt). */
  payload: unknown;
  /** The decrypted body as sent, byte for byte (UTF-8), to hand on to a browser's worker unchanged. */
  text: string | null;
}

export interface TestSubscription {
  id: string;
  /** What a browser's `PushSubscription.toJSON()` gives: register it with POST /api/devices. */
  subscription: WebPushSubscription;
}

export interface PushServiceStandIn {
  origin: string;
  /** The certificate's file, for a server process: NODE_EXTRA_CA_CERTS=<certPath>. */
  certPath: string;
  /** An HTTPS agent that trusts the stand-in, for an app in this process (AppDeps.pushTransport.webPushAgent). */
  agent: Agent;
  /** A new subscription as a browser would make it: its own P-256 key pair and 16-byte auth secret. */
  subscribe(): TestSubscription;
  /** The next answers for a subscription, in order; once used up it accepts (201). */
  script(subscriptionId: string, ...answers: PushAnswer[]): void;
  /**
   * After `accepted` pushes in all, answer none: requests wait, unanswered, as if the service
   * stalled (to kill a server with sends in flight). One whose connection closes while held is
   * recorded with status 0 and never counts as delivered.
   */
  holdAfter(accepted: number): void;
  /** How many requests are held now. */
  held(): number;
  /** Stops holding; requests still held and connected are answered as usual. */
  release(): void;
  /** Every request received, in order. */
  received(): ReceivedPush[];
  /** The accepted pushes of one subscription (or all), decrypted. */
  delivered(subscriptionId?: string): ReceivedPush[];
  waitForDelivered(count: number, timeoutMs?: number, subscriptionId?: string): Promise<ReceivedPush[]>;
  close(): Promise<void>;
}

/**
 * A local RFC 8030 push service over HTTPS (self-signed, SAN IP:127.0.0.1): it receives the real
 * encrypted requests a server sends, decrypts them with the subscription's keys (RFC 8291,
 * aes128gcm) and records them; it dedupes nothing, so a push sent twice is counted twice.
 */
export async function startPushService(): Promise<PushServiceStandIn> {
  const certificate: TestCertificate = createTestCertificate(['IP:127.0.0.1']);
  const keys = new Map<string, { ecdh: ECDH; authSecret: Buffer }>();
  const scripts = new Map<string, PushAnswer[]>();
  const log: ReceivedPush[] = [];
  let holdLimit: number | undefined;
  const holding = new Set<() => void>();

  const server: Server = createServer({ key: certificate.key, cert: certificate.cert }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (holdLimit !== undefined && delivered().length >= holdLimit) {
        const answerLater = () => {
          holding.delete(answerLater);
          answer();
        };
        holding.add(answerLater);
        response.once('close', () => {
          if (!holding.delete(answerLater)) return;
          log.push({ subscriptionId: (request.url ?? '').split('/').pop() ?? '', status: 0, ttl: undefined, urgency: undefined, topic: undefined, contentEncoding: undefined, payload: null, text: null });
        });
        return;
      }
      answer();
    });
    function answer() {
      const subscriptionId = (request.url ?? '').split('/').pop() ?? '';
      const scripted = scripts.get(subscriptionId)?.shift() ?? { status: keys.has(subscriptionId) ? 201 : 404 };
      const key = keys.get(subscriptionId);
      let payload: unknown = null;
      let text: string | null = null;
      if (scripted.status === 201 && key) {
        try {
          text = decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: key.ecdh, authSecret: key.authSecret }).toString('utf8');
          payload = JSON.parse(text);
        } catch {
          payload = null;
        }
      }
      const header = (name: string) => (typeof request.headers[name] === 'string' ? (request.headers[name] as string) : undefined);
      log.push({ subscriptionId, status: scripted.status, ttl: header('ttl'), urgency: header('urgency'), topic: header('topic'), contentEncoding: header('content-encoding'), payload, text });
      response.writeHead(scripted.status, scripted.retryAfter ? { 'retry-after': scripted.retryAfter } : {});
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new Agent({ ca: certificate.cert, keepAlive: true });
  const delivered = (id?: string) => log.filter((push) => push.status === 201 && (id === undefined || push.subscriptionId === id));

  return {
    origin,
    certPath: certificate.certPath,
    agent,
    subscribe() {
      const id = randomUUID();
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const authSecret = randomBytes(16);
      keys.set(id, { ecdh, authSecret });
      return {
        id,
        subscription: {
          endpoint: `${origin}/push/${id}`,
          expirationTime: null,
          keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
        },
      };
    },
    script(id, ...answers) {
      scripts.set(id, [...(scripts.get(id) ?? []), ...answers]);
    },
    holdAfter(accepted) {
      holdLimit = accepted;
    },
    held: () => holding.size,
    release() {
      holdLimit = undefined;
      for (const answerLater of [...holding]) answerLater();
    },
    received: () => [...log],
    delivered,
    async waitForDelivered(count, timeoutMs = 15_000, id) {
      const deadline = Date.now() + timeoutMs;
      while (delivered(id).length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      return delivered(id);
    },
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      certificate.remove();
    },
  };
}

