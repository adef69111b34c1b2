// The floor for bench/fanout, in a process of its own: a bare `ws` server that sends every text
// message it receives to every connected client (the sender too, as a Rally room does). No
// authentication, no storage, no envelope: what fan-out over WebSockets costs at the least.
import { once } from 'node:events';
import { WebSocketServer } from 'ws';
import { answerParent } from './fanout-ipc';

export type WsFanoutApi = {
  url(): Promise<string>;
  cpu(): Promise<NodeJS.CpuUsage>;
};

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await once(server, 'listening');
const { port } = server.address() as { port: number };

server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    for (const client of server.clients) client.send(data, { binary: isBinary });
  });
});

const api: WsFanoutApi = {
  async url() {
    return `ws://127.0.0.1:${port}`;
  },
  async cpu() {
    return process.cpuUsage();
  },
};

answerParent(api, async () => {
  for (const client of server.clients) client.terminate();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});
