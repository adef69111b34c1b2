import { useMemo, useRef, useState } from 'react';
import { MESSAGE_PAGE_SIZE } from '../../../protocol';
import type { ConversationView } from '../../data/chat-reads';
import type { LocalMessage, OutboxEntry } from '../../../device-db/local-db';
import { useLocalUser } from '../../data/local-session';
import { useOutbox } from '../../outbox/outbox-context';
import type { MessageSafetyHandlers } from './MessageActions';
import { safetyActionsFor } from './message-actions';
import { useBlockedUsers } from '../../data/block-queries';
import { SafetyDialog, type SafetyStep, type SafetyTarget } from '../safety/SafetyDialog';
import { useFeatureFlag } from '../../app/flag-hooks';
import { useFindOlderMessage, useLoadOlderMessages } from './older-messages';
import { MessageItem } from './MessageItem';
import { useListScroll } from './list-scroll';

/** What the composer is doing with a message the menu chose. */
export interface MessageIntent {
  reply(message: LocalMessage): void;
  edit(message: LocalMessage): void;
}

/**
 * The conversation's messages, newest at the bottom, older pages loaded on scroll, unsent ones
 * with retry and discard. Each message has its menu (reply, react, edit, delete); a quote jumps
 * to what it quotes, loading older pages until it is there.
 */
export function MessageList({
  view,
  failed,
  intent,
  focusMessageId = null,
}: {
  view: ConversationView;
  failed: OutboxEntry[];
  intent: MessageIntent;
  /** A search hit's message: scrolled to and focused once it is in the list. */
  focusMessageId?: string | null;
}) {
  const me = useLocalUser();
  const outbox = useOutbox();
  // Reactions are rolling out behind a flag (protocol/flags.ts): off, they show but cannot be added.
  const reactionsOn = useFeatureFlag('chat-reactions');
  const loadOlderMessages = useLoadOlderMessages(view.conversation.id);
  const findOlderMessage = useFindOlderMessage(view.conversation.id);
  const [menuFor, setMenuFor] = useState<string | null>(null);
  // Report a message or block its sender: one dialog for the list, opened from a message's menu.
  // Kept with its conversation: the chat screen stays mounted when another chat opens in it.
  const [safety, setSafety] = useState<{ conversationId: string; target: SafetyTarget; step: SafetyStep } | null>(null);
  const blockedUsers = useBlockedUsers();
  const blockedIds = useMemo(() => new Set((blockedUsers ?? []).map((person) => person.userId)), [blockedUsers]);
  const [jump, setJump] = useState<{ id: string; state: 'loading' | 'missing' } | null>(null);
  const byId = useMemo(() => new Map(view.messages.map((message) => [message.id, message])), [view.messages]);
  const listRef = useRef<HTMLDivElement>(null);
  // How far back this conversation's history is loaded. Kept with its conversation, like the
  // safety dialog: another chat opening in the screen starts from the top of its own.
  const [olderOf, setOlderOf] = useState<{ conversationId: string; state: 'idle' | 'loading' | 'done' | 'error' } | null>(null);
  const older = olderOf?.conversationId === view.conversation.id ? olderOf.state : 'idle';
  const sent = view.messages.filter((message) => message.seq > 0);
  const oldestSeq = sent[0]?.seq ?? 0;
  // The feed brings a conversation's newest page whole: fewer than a page means nothing is older.
  const canLoadOlder = sent.length >= MESSAGE_PAGE_SIZE && older !== 'done';
  const newest = view.messages.at(-1);
  const { unseenBelow, showNewest } = useListScroll(
    listRef,
    view.conversation.id,
    newest && { id: newest.id, mine: newest.senderId === me?.userId },
    focusMessageId,
    view.messages,
  );

  async function loadOlder() {
    if (older === 'loading' || !canLoadOlder) return;
    const conversationId = view.conversation.id;
    const setOlder = (state: NonNullable<typeof olderOf>['state']) => setOlderOf({ conversationId, state });
    setOlder('loading');
    const list = listRef.current;
    const fromBottom = list ? list.scrollHeight - list.scrollTop : 0;
    try {
      const hasMore = await loadOlderMessages(oldestSeq);
      setOlder(hasMore ? 'idle' : 'done');
      // Keep what the user was reading where it was.
      requestAnimationFrame(() => {
        if (list) list.scrollTop = list.scrollHeight - fromBottom;
      });
    } catch {
      setOlder('error');
    }
  }

  /** Scrolls to a quoted message and focuses it, loading older pages until the device holds it. */
  async function jumpTo(id: string) {
    setJump({ id, state: 'loading' });
    const found = byId.has(id) || (await findOlderMessage(id, oldestSeq).catch(() => false));
    if (!found) {
      setJump({ id, state: 'missing' });
      return;
    }
    // The page just stored reaches the list on the live query's next read.
    for (let tries = 0; tries < 60; tries++) {
      const target = listRef.current?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(id)}"]`);
      if (target) {
        target.scrollIntoView({ block: 'center' });
        target.focus();
        setJump(null);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    setJump({ id, state: 'missing' });
  }

  async function write(request: Parameters<NonNullable<typeof outbox>['mutate']>[0]) {
    try {
      await outbox?.mutate(request);
    } catch {
      // A full outbox says so on the outbox screen; the message stays as it was.
    }
  }

  function safetyHandlers(message: LocalMessage): MessageSafetyHandlers {
    const allowed = safetyActionsFor(message, me?.userId ?? '', blockedIds.has(message.senderId));
    const target: SafetyTarget = { person: { userId: message.senderId, displayName: message.senderName }, message: { id: message.id, body: message.body } };
    return {
      report: allowed.report ? () => setSafety({ conversationId: message.conversationId, target, step: 'report' }) : undefined,
      block: allowed.block ? () => setSafety({ conversationId: message.conversationId, target: { person: target.person }, step: 'confirm-block' }) : undefined,
    };
  }

  const others = view.others;
  const lastMineSent = [...view.messages].reverse().find((message) => message.senderId === me?.userId && message.seq > 0);

  return (
    // The log (a live region that scrolls) holds the list: a role on the <ol> itself would take
    // its list semantics away, and its items would be list items outside any list.
    <div
      className="message-list"
      ref={listRef}
      role="log"
      aria-label="Messages"
      aria-live="polite"
      onScroll={(event) => {
        if (event.currentTarget.scrollTop < 40 && older === 'idle') void loadOlder();
      }}
    >
      <ol className="message-items">
        {canLoadOlder && (
          <li className="load-older">
            <button type="button" className="button button-ghost button-compact" onClick={() => void loadOlder()} disabled={older === 'loading'}>
              {older === 'loading' ? 'Loading…' : older === 'error' ? 'Could not load; try again' : 'Load earlier messages'}
            </button>
          </li>
        )}
        {view.messages.length === 0 && failed.length === 0 && <li className="muted chat-empty">No messages yet. Say hello!</li>}
        {view.messages.map((message) => (
          <MessageItem
            key={message.id}
            message={message}
            me={me?.userId ?? ''}
            showStatus={message.seq === 0 || message.id === lastMineSent?.id}
            others={others}
            isDirect={view.conversation.kind === 'direct'}
            moderates={view.isHost}
            quoted={message.replyToId !== undefined ? (byId.get(message.replyToId) ?? null) : undefined}
            onQuoteClick={() => message.replyToId !== undefined && void jumpTo(message.replyToId)}
            quoteState={jump && jump.id === message.replyToId ? jump.state : null}
            menuOpen={menuFor === message.id}
            onMenuOpenChange={(open) => setMenuFor(open ? message.id : null)}
            handlers={{
              reply: () => intent.reply(message),
              edit: () => intent.edit(message),
              react: (emoji) => void write({ name: 'message.react', args: { id: message.id, emoji, on: true } }),
              deleteForEveryone: () => void write({ name: 'message.delete', args: { id: message.id } }),
              deleteForMe: () => void write({ name: 'message.hide', args: { id: message.id } }),
            }}
            onToggleReaction={reactionsOn ? (emoji, on) => void write({ name: 'message.react', args: { id: message.id, emoji, on } }) : undefined}
            safety={safetyHandlers(message)}
          />
        ))}
        {failed.map((entry) =>
          entry.mutation.name === 'message.send' ? (
            <li key={entry.mutationId} className="message message-mine message-failed" data-testid="message" data-status="failed">
              {entry.mutation.args.photo && <img className="message-failed-photo" src={entry.mutation.args.photo.preview} alt="Your photo (not sent)" />}
              {entry.mutation.args.body !== '' && (
                <p className="message-body" dir="auto">
                  {entry.mutation.args.body}
                </p>
              )}
              <p className="message-meta">
                Not sent{entry.error ? `: ${entry.error.message}` : ''}{' '}
                <button type="button" className="link-button" onClick={() => void outbox?.retry(entry.mutationId)}>
                  Retry
                </button>{' '}
                <button type="button" className="link-button" onClick={() => void outbox?.discard(entry.mutationId)}>
                  Discard
                </button>
              </p>
            </li>
          ) : null,
        )}
      </ol>
      {unseenBelow && (
        <button type="button" className="button button-primary button-compact new-below" onClick={showNewest}>
          New messages ↓
        </button>
      )}
      {safety?.conversationId === view.conversation.id && <SafetyDialog target={safety.target} step={safety.step} onStep={(step) => setSafety({ ...safety, step })} onClose={() => setSafety(null)} />}
    </div>
  );
}
