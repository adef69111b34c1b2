import { describe, expect, it } from 'vitest';
import { MUTED_FOREVER } from '../../../protocol/push-rules';
import type { LocalConversationSettings } from '../../../device-db/local-db';
import type { ConversationSummary } from '../../data/chat-reads';
import { arrangeChats } from './chat-list-order';

const summary = (id: string, lastAt: string | null): ConversationSummary =>
  ({ conversation: { id }, title: id, peer: null, last: lastAt ? { createdAt: lastAt } : null, unread: 0 }) as unknown as ConversationSummary;
const setting = (conversationId: string, own: Partial<LocalConversationSettings>): [string, LocalConversationSettings] => [
  conversationId,
  { conversationId, mutedUntil: null, pinnedAt: null, archivedAt: null, version: 1, ...own },
];
const now = new Date('2026-12-02T12:00:00Z');

describe('the chat list’s order', () => {
  it('puts pinned chats on top, the latest pin first, and keeps the rest in order', () => {
    const chats = [summary('a', '2026-12-02T11:00:00Z'), summary('b', '2026-12-02T10:00:00Z'), summary('c', '2026-12-02T09:00:00Z'), summary('d', null)];
    const settings = new Map([setting('c', { pinnedAt: '2026-12-01T08:00:00Z' }), setting('d', { pinnedAt: '2026-12-01T09:00:00Z' })]);
    const { pinned, others, archived } = arrangeChats(chats, settings, now);
    expect(pinned.map((chat) => chat.conversation.id)).toEqual(['d', 'c']);
    expect(others.map((chat) => chat.conversation.id)).toEqual(['a', 'b']);
    expect(archived).toEqual([]);
  });

  it('keeps an archived chat apart until a newer message comes while it is not muted', () => {
    const chats = [summary('quiet', '2026-12-02T08:00:00Z'), summary('woken', '2026-12-02T11:00:00Z'), summary('muted', '2026-12-02T11:00:00Z'), summary('empty', null)];
    const archivedAt = '2026-12-02T10:00:00Z';
    const settings = new Map([
      setting('quiet', { archivedAt }),
      setting('woken', { archivedAt, pinnedAt: '2026-12-01T00:00:00Z' }),
      setting('muted', { archivedAt, mutedUntil: MUTED_FOREVER }),
      setting('empty', { archivedAt }),
    ]);
    const { pinned, others, archived } = arrangeChats(chats, settings, now);
    expect(archived.map((chat) => chat.conversation.id)).toEqual(['quiet', 'muted', 'empty']);
    // Woken by a new message, it is back where it was: pinned.
    expect(pinned.map((chat) => chat.conversation.id)).toEqual(['woken']);
    expect(others).toEqual([]);
  });
});
