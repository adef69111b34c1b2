import { describe, expect, it } from 'vitest';
import type { LocalMessage } from '../../../device-db/local-db';
import { actionsFor, quoteExcerpt, safetyActionsFor } from './message-actions';

const now = Date.parse('2026-05-02T12:00:00.000Z');
const base: LocalMessage = {
  id: 'm',
  conversationId: 'c',
  senderId: 'ana',
  senderName: 'Ana',
  kind: 'text',
  body: 'Hi',
  createdAt: '2026-05-02T11:00:00.000Z',
  seq: 4,
  version: 4,
};

describe('actionsFor', () => {
  it('offers the author everything on a fresh sent message', () => {
    expect(actionsFor(base, 'ana', now)).toEqual({ reply: true, react: true, edit: true, deleteForEveryone: true, deleteForMe: true });
  });
  it('offers someone else no edit and no delete for everyone', () => {
    expect(actionsFor(base, 'ben', now)).toEqual({ reply: true, react: true, edit: false, deleteForEveryone: false, deleteForMe: true });
  });
  it('offers no delete for everyone after a day, and only delete for me once deleted', () => {
    expect(actionsFor({ ...base, createdAt: '2026-05-01T11:00:00.000Z' }, 'ana', now).deleteForEveryone).toBe(false);
    expect(actionsFor({ ...base, deletedAt: '2026-05-02T11:30:00.000Z' }, 'ana', now)).toEqual({
      reply: false,
      react: false,
      edit: false,
      deleteForEveryone: false,
      deleteForMe: true,
    });
  });
  it('offers a room’s host delete for everyone on anyone’s message, at any age, but no edit', () => {
    expect(actionsFor(base, 'ben', now, true)).toMatchObject({ edit: false, deleteForEveryone: true });
    expect(actionsFor({ ...base, createdAt: '2026-05-01T11:00:00.000Z' }, 'ben', now, true).deleteForEveryone).toBe(true);
    expect(actionsFor({ ...base, deletedAt: '2026-05-02T11:30:00.000Z' }, 'ben', now, true).deleteForEveryone).toBe(false);
  });
  it('offers nothing on a message still in the outbox', () => {
    expect(Object.values(actionsFor({ ...base, seq: 0 }, 'ana', now)).some(Boolean)).toBe(false);
  });
});

describe('safetyActionsFor', () => {
  it('offers report and block on someone else’s message, never on one’s own', () => {
    expect(safetyActionsFor(base, 'ben', false)).toEqual({ report: true, block: true });
    expect(safetyActionsFor(base, 'ana', false)).toEqual({ report: false, block: false });
  });
  it('offers no block once they are blocked, no report of a deleted message, nothing on a call line or a pending one', () => {
    expect(safetyActionsFor(base, 'ben', true)).toEqual({ report: true, block: false });
    expect(safetyActionsFor({ ...base, deletedAt: '2026-05-02T11:30:00.000Z' }, 'ben', false)).toEqual({ report: false, block: true });
    expect(safetyActionsFor({ ...base, kind: 'call' }, 'ben', false)).toEqual({ report: false, block: false });
    expect(safetyActionsFor({ ...base, seq: 0 }, 'ben', false)).toEqual({ report: false, block: false });
  });
});

describe('quoteExcerpt', () => {
  it('keeps one short line', () => {
    expect(quoteExcerpt('a\n\n b')).toBe('a b');
    expect(quoteExcerpt('x'.repeat(100))).toHaveLength(81);
  });
});
