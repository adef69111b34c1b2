import { describe, expect, it } from 'vitest';
import { countUnread, deliveryStateOf, inDisplayOrder } from './chat-reads';

describe('delivery state of my message', () => {
  it('is pending until the server numbers it', () => {
    expect(deliveryStateOf({ seq: 0 }, [{ deliveredSeq: 99, readSeq: 99 }]).state).toBe('pending');
  });
  it('is sent, then delivered when every other member received it, then read when every one read it', () => {
    const message = { seq: 10 };
    expect(deliveryStateOf(message, [{ deliveredSeq: 9, readSeq: 0 }]).state).toBe('sent');
    expect(deliveryStateOf(message, [{ deliveredSeq: 10, readSeq: 9 }]).state).toBe('delivered');
    expect(deliveryStateOf(message, [{ deliveredSeq: 12, readSeq: 10 }]).state).toBe('read');
  });
  it('in a room counts who read it, and is read only when everyone did', () => {
    const result = deliveryStateOf({ seq: 5 }, [
      { deliveredSeq: 5, readSeq: 5 },
      { deliveredSeq: 5, readSeq: 4 },
    ]);
    expect(result).toEqual({ state: 'delivered', readBy: 1 });
  });
});

describe('unread count', () => {
  it('counts only messages from others after my read watermark', () => {
    const messages = [
      { senderId: 'ana', seq: 3 },
      { senderId: 'me', seq: 4 },
      { senderId: 'ana', seq: 5 },
      { senderId: 'ben', seq: 6 },
    ];
    expect(countUnread(messages, 'me', 3)).toBe(2);
    expect(countUnread(messages, 'me', 6)).toBe(0);
  });
});

describe('display order', () => {
  it('shows sent messages by position, then pending ones by when they were written', () => {
    const ordered = inDisplayOrder([
      { seq: 0, createdAt: '2026-01-01T00:00:02.000Z', id: 'p2' },
      { seq: 7, createdAt: '2026-01-01T00:00:00.000Z', id: 's7' },
      { seq: 0, createdAt: '2026-01-01T00:00:01.000Z', id: 'p1' },
      { seq: 3, createdAt: '2026-01-01T00:00:05.000Z', id: 's3' },
    ]);
    expect(ordered.map((m) => m.id)).toEqual(['s3', 's7', 'p1', 'p2']);
  });
});
