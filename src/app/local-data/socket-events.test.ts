import { io } from 'socket.io-client';
import { describe, expect, test, vi } from 'vitest';
import { serverEventNames } from '../../../protocol';
import type { RallySocket } from '../../net/socket-state';
import type { LocalData } from './open-local-data';
import { onFlagsChanged } from '../flags-changed';
import { listenToSocket, socketEventTable } from './socket-events';

// A real socket.io client that never connects: only its listener lists are looked at.
const idleSocket = () => io('http://127.0.0.1:9', { autoConnect: false }) as RallySocket;
// Handlers are only registered here, never called, so the parts they would use need not exist.
const unusedLocal = {} as LocalData;

describe('the socket event table', () => {
  test('has a handler for every server event, and connect', () => {
    const table = socketEventTable(unusedLocal, idleSocket(), () => undefined);
    expect(Object.keys(table).sort()).toEqual([...serverEventNames, 'connect'].sort());
  });

  test('is registered whole and removed whole, the very same handlers', () => {
    const socket = idleSocket();
    const table = socketEventTable(unusedLocal, socket, () => undefined);
    const before = socket.listeners('connect').length;
    const stop = listenToSocket(socket, table);
    for (const name of serverEventNames) expect(socket.listeners(name)).toEqual([table[name]]);
    expect(socket.listeners('connect')).toHaveLength(before + 1);
    stop();
    for (const name of serverEventNames) expect(socket.listeners(name)).toEqual([]);
    expect(socket.listeners('connect')).toHaveLength(before);
  });

  test('a (re)connect has the flags evaluated again: a change announced while the page had no socket never reached it', () => {
    vi.stubGlobal('document', { visibilityState: 'visible' });
    const local = { outbox: { kick: () => undefined }, receipts: { flush: () => undefined } } as unknown as LocalData;
    let pulls = 0;
    let evaluations = 0;
    const stop = onFlagsChanged(() => evaluations++);
    try {
      socketEventTable(local, idleSocket(), () => pulls++).connect();
      expect({ pulls, evaluations }).toEqual({ pulls: 1, evaluations: 1 });
    } finally {
      stop();
      vi.unstubAllGlobals();
    }
  });
});
