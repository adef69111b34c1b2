import { randomUUID } from 'node:crypto';
import { directConversationId, PROTOCOL_VERSION, type Ack, type Call, type ClientToServerEvents, type Message } from '../../protocol';
import { freshReplica } from './sync-client';
import type { ClientSocket, TestServer, TestUser } from './harness';

let mutationCounter = 0;

/** Opens the direct conversation of two users (as the first one's page would) and returns its id. */
export async function openDirect(socket: ClientSocket, me: TestUser, peer: TestUser): Promise<string> {
  const id = await directConversationId(me.id, peer.id);
  const ack = await socket.timeout(5000).emitWithAck('message:send', {
    clientId: randomUUID(),
    mutationId: ++mutationCounter,
    createdAt: new Date().toISOString(),
    name: 'conversation.open',
    args: { id, peerId: peer.id },
  });
  if (!ack.ok) throw new Error(`conversation.open failed: ${JSON.stringify(ack)}`);
  return id;
}

type CallEvent = Exclude<keyof ClientToServerEvents, 'auth:renew' | 'room:join' | 'room:leave' | 'message:send' | 'receipt:update' | 'typing:start' | 'typing:stop' | 'presence:set' | 'presence:query'>;

/** A call event with its ack, typed loosely so tests can also send what the contract forbids. */
export function emitCall(socket: ClientSocket, event: CallEvent, payload: unknown): Promise<Ack<Call | null>> {
  const loose = socket as unknown as { timeout: (ms: number) => { emitWithAck: (e: string, p: unknown) => Promise<Ack<Call | null>> } };
  return loose.timeout(5000).emitWithAck(event, payload);
}

export async function invite(socket: ClientSocket, conversationId: string, kind: 'audio' | 'video' = 'audio'): Promise<Call> {
  const ack = await emitCall(socket, 'call:invite', { conversationId, kind });
  if (!ack.ok || !ack.data) throw new Error(`call:invite failed: ${JSON.stringify(ack)}`);
  return ack.data;
}

/** The call lines a fresh device of `user` syncs for the conversation, oldest first. */
export async function syncedCallLines(server: TestServer, user: TestUser, conversationId: string): Promise<string[]> {
  const replica = await freshReplica(server, user, 500, PROTOCOL_VERSION);
  return [...replica.rows.values()]
    .map((row) => row.data as Message)
    .filter((message) => message.kind === 'call' && message.conversationId === conversationId)
    .sort((a, b) => a.seq - b.seq)
    .map((message) => message.body);
}

/** Resolves with every `event` the socket hears within `ms` (to show that something was not heard). */
export function collect(socket: ClientSocket, event: string, ms: number): Promise<unknown[]> {
  const heard: unknown[] = [];
  const listener = (payload: unknown) => heard.push(payload);
  const loose = socket as unknown as { on: (e: string, l: (p: unknown) => void) => void; off: (e: string, l: (p: unknown) => void) => void };
  loose.on(event, listener);
  return new Promise((resolve) =>
    setTimeout(() => {
      loose.off(event, listener);
      resolve(heard);
    }, ms),
  );
}
