import { httpStatusByErrorCode, WRITER_HEADER, type Mutation, type MutationRejected } from '../../protocol';
import { currentAccessToken } from '../net/auth-client';
import { emitWithAck } from '../net/emit-with-ack';

/**
 * How a mutation reaches the server: chat over the open socket when nothing earlier is
 * outstanding, everything else (and chat when the socket cannot) by HTTP, which the service
 * worker keeps when the network cannot. Both answer in the same shape, so one send policy reads them.
 */

/** A transport's answer. `status` 202: the worker keeps it; -1: timed out. Null: no answer at all. */
export interface TransportAnswer {
  status: number;
  body: unknown;
  retryAfterMs?: number;
}

const REQUEST_TIMEOUT_MS = 20_000;
/** A chat mutation over the socket waits this long for its ack before going by HTTP instead. */
const SOCKET_ACK_TIMEOUT_MS = 5_000;

export async function sendMutation(mutation: Mutation, writerId: string, options: { httpOnly?: boolean } = {}): Promise<TransportAnswer | null> {
  // The socket only when nothing earlier is outstanding: a message must not overtake the
  // conversation it belongs to while that waits in the worker's queue. Otherwise HTTP, which
  // the worker queues behind what it holds.
  const chat = mutation.name.startsWith('message.') || mutation.name === 'conversation.open';
  if (chat && mutation.afterMutationId === undefined && !options.httpOnly) {
    const answered = await sendOverSocket(mutation);
    if (answered) return answered;
  }
  return postOverHttp(mutation, writerId);
}

async function postOverHttp(mutation: Mutation, writerId: string): Promise<TransportAnswer | null> {
  const token = currentAccessToken();
  try {
    const response = await fetch('/api/mutations', {
      method: 'POST',
      // The writer's id goes with every write, so the worker can keep it without the token and
      // never send it as anyone else.
      headers: { 'Content-Type': 'application/json', [WRITER_HEADER]: writerId, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(mutation),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const retryAfterSeconds = Number(response.headers.get('Retry-After'));
    return {
      status: response.status,
      body: await response.json().catch(() => null),
      ...(retryAfterSeconds > 0 ? { retryAfterMs: retryAfterSeconds * 1000 } : {}),
    };
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') return { status: -1, body: null };
    return null;
  }
}

/**
 * Chat goes over the open socket when there is one: no request per message, and the answer is
 * as quick as the broadcast. No socket, or no ack in time: null, and HTTP (and the worker's
 * queue) takes it; the server applies a mutation once however often it arrives.
 */
async function sendOverSocket(mutation: Mutation): Promise<TransportAnswer | null> {
  const result = await emitWithAck('message:send', mutation, SOCKET_ACK_TIMEOUT_MS);
  if (!result) return null;
  if (result.ok) return { status: 200, body: result.data };
  const body: MutationRejected = { error: result.error, mutation: { clientId: mutation.clientId, mutationId: mutation.mutationId } };
  return { status: httpStatusByErrorCode[result.error.code], body };
}
