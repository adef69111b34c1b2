// The clients of bench/fanout: Node sockets on loopback, connected in batches (a thousand SYNs at
// once overflow the listen backlog and turn into one-second retransmits, which would be measured).
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { newRowId, PROTOCOL_VERSION, type ClientToServerEvents, type Mutation, type ServerToClientEvents } from '../../protocol';
import { clock } from './fanout-deliveries';
import type { SeededUser } from './fanout-server';

const CONNECT_BATCH = 50;

type RallySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A room of connected members; member 0 is the one who sends. */
export interface FanoutRoom {
  readonly size: number;
  /** From now on, every message body any member receives goes to `record` (and no longer to the one before). */
  listen(record: (member: number, body: string) => void): void;
  /** Member 0 sends `body`; resolves when the server has it (Rally: its ack; ws: written to the socket). */
  send(body: string): Promise<void>;
  /** When a member last received something: any event until the first `listen` (presence on connect), then messages. */
  lastActivityAt(): number;
  /** Members whose connection closed before `close()`, by the reason given. */
  dropped(): Map<string, number>;
  close(): void;
}

/** Counts connections that close on their own (a missed heartbeat, a server that gave up on them). */
function dropCounter(): { drop(reason: string): void; closing(): void; dropped(): Map<string, number> } {
  const reasons = new Map<string, number>();
  let closing = false;
  return {
    drop(reason) {
      if (!closing) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    },
    closing: () => (closing = true),
    dropped: () => reasons,
  };
}

async function inBatches<T>(count: number, connect: (index: number) => Promise<T>): Promise<T[]> {
  const connected: T[] = [];
  for (let start = 0; start < count; start += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - start) }, (_, i) => connect(start + i));
    connected.push(...(await Promise.all(batch)));
  }
  return connected;
}

function connectRallySocket(url: string, user: SeededUser): Promise<RallySocket> {
  const socket: RallySocket = io(url, {
    auth: { token: user.token, protocolVersion: PROTOCOL_VERSION },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Rally sockets for `users`, connected and otherwise left alone (idle). */
export async function connectIdleRallySockets(url: string, users: SeededUser[]): Promise<{ close(): void }> {
  const sockets = await inBatches(users.length, (i) => connectRallySocket(url, users[i]!));
  return { close: () => sockets.forEach((socket) => socket.close()) };
}

/** Rally sockets of every member of one activity's chat room; member 0 sends with message:send. */
export async function connectRallyRoom(url: string, conversationId: string, members: SeededUser[]): Promise<FanoutRoom> {
  const sockets = await inBatches(members.length, (i) => connectRallySocket(url, members[i]!));
  const sender = sockets[0]!;
  // One client of the page's outbox: its mutation ids count up from 1.
  const clientId = randomUUID();
  let mutationId = 0;
  let lastActivityAt = clock();
  let record: (member: number, body: string) => void = () => undefined;
  const drops = dropCounter();
  const noteActivity = () => (lastActivityAt = clock());
  sockets.forEach((socket, member) => {
    // Every event, until messages are measured: connecting announces each member's presence to the room.
    socket.onAny(noteActivity);
    socket.on('message:new', (event) => {
      lastActivityAt = clock();
      record(member, event.message.body);
    });
    socket.on('disconnect', (reason) => drops.drop(reason));
  });
  return {
    size: sockets.length,
    listen(recorder) {
      // From here on only messages count as activity, as for the ws room: no catch-all listener in the way.
      sockets.forEach((socket) => socket.offAny(noteActivity));
      record = recorder;
    },
    async send(body) {
      const mutation: Mutation = {
        clientId,
        mutationId: ++mutationId,
        createdAt: new Date().toISOString(),
        name: 'message.send',
        args: { id: newRowId(), conversationId, body, kind: 'text' },
      };
      const ack = await sender.emitWithAck('message:send', mutation);
      if (!ack.ok) throw new Error(`message:send refused: ${ack.error.code} ${ack.error.message}`);
    },
    lastActivityAt: () => lastActivityAt,
    dropped: drops.dropped,
    close() {
      drops.closing();
      sockets.forEach((socket) => socket.close());
    },
  };
}

function connectWebSocket(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** `size` plain WebSockets to the floor's server; member 0 sends. */
export async function connectWsRoom(url: string, size: number): Promise<FanoutRoom> {
  const sockets = await inBatches(size, () => connectWebSocket(url));
  const sender = sockets[0]!;
  let lastActivityAt = clock();
  let record: (member: number, body: string) => void = () => undefined;
  const drops = dropCounter();
  sockets.forEach((socket, member) => {
    socket.on('message', (data) => {
      lastActivityAt = clock();
      record(member, data.toString());
    });
    socket.on('close', (code) => drops.drop(`close code ${code}`));
  });
  return {
    size: sockets.length,
    listen(recorder) {
      record = recorder;
    },
    send(body) {
      return new Promise((resolve, reject) => sender.send(body, (error) => (error ? reject(error) : resolve())));
    },
    lastActivityAt: () => lastActivityAt,
    dropped: drops.dropped,
    close() {
      drops.closing();
      sockets.forEach((socket) => socket.close());
    },
  };
}
