import { useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { MESSAGE_PAGE_SIZE } from '../../../protocol';
import { deliveryStateOf, type ConversationView } from '../../data/chat-reads';
import type { LocalMessage, OutboxEntry } from '../../../device-db/local-db';
import { useLocalUser } from '../../data/local-session';
import { useOutbox } from '../../outbox/outbox-context';
import { formatMessageTime } from './format-chat';
import { MessageDecorations, MessageQuote } from './MessageParts';
import { MessageActions, type MessageSafetyHandlers } from './MessageActions';
import { actionsFor, safetyActionsFor } from './message-actions';
import { useBlockedUsers } from '../../data/block-queries';
import { SafetyDialog, type SafetyStep, type SafetyTarget } from '../safety/SafetyDialog';
import { useFeatureFlag } from '../../app/flag-hooks';
import { ChatPhoto } from './ChatPhoto';
import { useFindOlderMessage, useLoadOlderMessages } from './older-messages';

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
  const [older, setOlder] = useState<'idle' | 'loading' | 'done' | 'error'>('idle');
  const sent = view.messages.filter((message) => message.seq > 0);
  const oldestSeq = sent[0]?.seq ?? 0;
  // The feed brings a conversation's newest page whole: fewer than a page means nothing is older.
  const canLoadOlder = sent.length >= MESSAGE_PAGE_SIZE && older !== 'done';
  const lastId = view.messages.at(-1)?.id;

  // Follow the conversation to its newest message as it grows. In the next frame, before it paints:
  // reading scrollHeight in the commit made the page lay out inside the commit's task, which with a
  // page of messages on a phone's CPU made one long task of the two (77 ms at 4×, half of it layout).
  useLayoutEffect(() => {
    const frame = requestAnimationFrame(() => {
      const list = listRef.current;
      if (list) list.scrollTop = list.scrollHeight;
    });
    return () => cancelAnimationFrame(frame);
  }, [lastId]);
  useFocusedMessage(listRef, focusMessageId, view.messages);

  async function loadOlder() {
    if (older === 'loading' || !canLoadOlder) return;
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
      {safety?.conversationId === view.conversation.id && <SafetyDialog target={safety.target} step={safety.step} onStep={(step) => setSafety({ ...safety, step })} onClose={() => setSafety(null)} />}
    </div>
  );
}

/**
 * Scrolls to the message a search hit named, once it is in the list, and marks it for a moment
 * (`message-focused`). Search finds only what the device holds, and the list shows every message
 * the device holds for the conversation, so the message is there as soon as the list is read; it
 * also takes the focus, so a keyboard or screen reader user lands on it too.
 */
function useFocusedMessage(listRef: RefObject<HTMLDivElement | null>, messageId: string | null, messages: readonly LocalMessage[]) {
  const done = useRef<string | null>(null);
  const present = messageId !== null && messages.some((message) => message.id === messageId);
  useLayoutEffect(() => {
    if (!present || done.current === messageId) return;
    const item = listRef.current?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(messageId)}"]`);
    if (!item) return;
    done.current = messageId;
    // In the next frame too, after the list has followed its newest message (whose frame callback
    // was asked for first), so the hit is where the list stays.
    requestAnimationFrame(() => item.scrollIntoView({ block: 'center' }));
    item.focus({ preventScroll: true });
    item.classList.add('message-focused');
    const timer = setTimeout(() => item.classList.remove('message-focused'), 2_000);
    return () => clearTimeout(timer);
  }, [listRef, messageId, present]);
}

function MessageItem({
  message,
  me,
  showStatus,
  others,
  isDirect,
  moderates,
  quoted,
  onQuoteClick,
  quoteState,
  menuOpen,
  onMenuOpenChange,
  handlers,
  onToggleReaction,
  safety,
}: {
  message: LocalMessage;
  me: string;
  showStatus: boolean;
  others: ConversationView['others'];
  isDirect: boolean;
  /** I host the room: the menu offers deleting anyone's message. */
  moderates: boolean;
  /** The quoted message as the device holds it; null when not (yet) here; undefined when this is no reply. */
  quoted: LocalMessage | null | undefined;
  onQuoteClick: () => void;
  quoteState: 'loading' | 'missing' | null;
  menuOpen: boolean;
  onMenuOpenChange: (open: boolean) => void;
  handlers: Parameters<typeof MessageActions>[0]['handlers'];
  /** Absent while reactions are not rolled out to this person: they see reactions, and add none. */
  onToggleReaction: ((emoji: string, on: boolean) => void) | undefined;
  safety: MessageSafetyHandlers;
}) {
  const actions = actionsFor(message, me, Date.now(), moderates);
  if (!onToggleReaction) actions.react = false;
  if (message.kind === 'call') return <CallLine message={message} />;
  const mine = message.senderId === me;
  const deleted = message.deletedAt !== undefined;
  const delivery = mine ? deliveryStateOf(message, others) : null;
  const classes = ['message', mine ? 'message-mine' : 'message-theirs', message.kind === 'announcement' ? 'message-announcement' : '', deleted ? 'message-deleted' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <li
      className={classes}
      data-testid="message"
      data-status={delivery?.state ?? 'received'}
      data-message-id={message.id}
      data-deleted={deleted || undefined}
      tabIndex={-1}
      // A long press on a phone (and a right click) opens the message's menu.
      onContextMenu={(event) => {
        if (!Object.values(actions).some(Boolean) && !safety.report && !safety.block) return;
        event.preventDefault();
        onMenuOpenChange(true);
      }}
    >
      {message.kind === 'announcement' && <p className="message-label">Announcement</p>}
      {!mine && (
        <p className="message-sender" dir="auto">
          {message.senderName}
        </p>
      )}
      {quoted !== undefined && !deleted && <MessageQuote quoted={quoted} state={quoteState} onClick={onQuoteClick} />}
      {!deleted && message.photo && <ChatPhoto photo={message.photo} label={`${mine ? 'your' : `${message.senderName}’s`} photo`} />}
      {deleted ? (
        <p className="message-body message-tombstone" data-testid="message-deleted">
          This message was deleted
        </p>
      ) : (
        (message.body !== '' || !message.photo) && (
          <p className="message-body" dir="auto">
            {message.body}
          </p>
        )
      )}
      {!deleted && <MessageDecorations reactions={message.reactions ?? []} me={me} onToggle={onToggleReaction} />}
      <p className="message-meta">
        <time dateTime={message.createdAt}>{formatMessageTime(message.createdAt)}</time>
        {message.editedAt !== undefined && !deleted && (
          <span className="message-edited" data-testid="message-edited">
            {' · '}edited
          </span>
        )}
        {delivery && showStatus && (
          <span className="message-status" data-testid="message-status">
            {' · '}
            {delivery.state === 'pending'
              ? 'Sending…'
              : delivery.state === 'read'
                ? 'Read'
                : !isDirect && delivery.readBy > 0
                  ? `Read by ${delivery.readBy}`
                  : delivery.state === 'delivered'
                    ? 'Delivered'
                    : 'Sent'}
          </span>
        )}
      </p>
      <MessageActions
        actions={actions}
        handlers={handlers}
        open={menuOpen}
        onOpenChange={onMenuOpenChange}
        safety={safety}
        label={deleted ? 'a deleted message' : `${mine ? 'your' : `${message.senderName}’s`} message`}
      />
    </li>
  );
}

/** The server's line about a call: centred, for both people alike ("Missed voice call"). */
function CallLine({ message }: { message: LocalMessage }) {
  return (
    <li className="message message-call" data-testid="call-line" data-message-id={message.id} tabIndex={-1}>
      <p className="message-body">{message.body}</p>
      <p className="message-meta">
        <time dateTime={message.createdAt}>{formatMessageTime(message.createdAt)}</time>
      </p>
    </li>
  );
}
