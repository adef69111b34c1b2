import { describe, expect, it } from 'vitest';
import { decideMessageWrite, type MessageState, type MessageWrite } from './message-rules';

const now = new Date('2026-05-02T12:00:00.000Z');
const sent: MessageState = { senderId: 'ana', kind: 'text', createdAt: '2026-05-02T11:00:00.000Z', deletedAt: null };
const deleted: MessageState = { ...sent, deletedAt: '2026-05-02T11:30:00.000Z' };
const old: MessageState = { ...sent, createdAt: '2026-05-01T11:59:59.000Z' };
const call: MessageState = { ...sent, kind: 'call' };

describe('decideMessageWrite', () => {
  const rows: [string, MessageWrite, MessageState, { userId: string; moderates?: boolean }, string][] = [
    ['the author edits', 'edit', sent, { userId: 'ana' }, 'apply'],
    ['someone else edits', 'edit', sent, { userId: 'ben' }, 'forbidden'],
    ['an edit after a delete', 'edit', deleted, { userId: 'ana' }, 'message_deleted'],
    ['an edit of a call line', 'edit', call, { userId: 'ana' }, 'forbidden'],
    ['the author deletes within a day', 'delete', sent, { userId: 'ana' }, 'apply'],
    ['the author deletes after a day', 'delete', old, { userId: 'ana' }, 'delete_window_passed'],
    ['someone else deletes', 'delete', sent, { userId: 'ben' }, 'forbidden'],
    ['a moderator deletes someone else’s old message', 'delete', old, { userId: 'ben', moderates: true }, 'apply'],
    ['a second delete', 'delete', deleted, { userId: 'ana' }, 'unchanged'],
    ['someone else deletes what is deleted', 'delete', deleted, { userId: 'ben' }, 'forbidden'],
    ['anyone reacts', 'react', sent, { userId: 'ben' }, 'apply'],
    ['a reaction to a deleted message', 'react', deleted, { userId: 'ben' }, 'message_deleted'],
  ];
  it.each(rows)('%s', (_name, write, message, actor, expected) => {
    const decision = decideMessageWrite(write, message, actor, now);
    expect(decision.outcome === 'refuse' ? decision.code : decision.outcome).toBe(expected);
  });
});
