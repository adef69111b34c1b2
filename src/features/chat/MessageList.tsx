import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { MESSAGE_PAGE_SIZE } from '../../../protocol';
import { deliveryStateOf, type ConversationView } from '../../data/chat-reads';
import type { LocalMessage, OutboxEntry } from '../../../device-db/local-db';
import { useLocalUser } from '../../data/local-session';
import { useOutbox } from '../../outbox/outbox-context';
import { formatMessageTime } from './format-chat';
import { useLoadOlderMessages } from './older-messages';

/** The conversation's messages, newest at the bottom, older pages loaded on scroll, unsent ones with retry and discard. */
export function MessageList({ view, failed, focusMessageId = null }: { view: ConversationView; failed: OutboxEntry[]; focusMessageId?: string | null }) {
  const me = useLocalUser();
  const outbox = useOutbox();
  const loadOlderMessages = useLoadOlderMessages(view.conversation.id);
  const listRef = useRef<HTMLDivElement>(null);
  const [older, setOlder] = useState<'idle' | 'loading' | 'done' | 'error'>('idle');
  const sent = view.messages.filter((message) => message.seq > 0);
  const oldestSeq = sent[0]?.seq ?? 0;
  // The feed brings a conversation's newest page whole: fewer than a page means nothing is older.
  const canLoadOlder = sent.length >= MESSAGE_PAGE_SIZE && older !== 'done';
  const lastId = view.messages.at(-1)?.id;

  // Follow the conversation to its newest message as it grows.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
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
            mine={message.senderId === me?.userId}
            showStatus={message.seq === 0 || message.id === lastMineSent?.id}
            others={others}
            isDirect={view.conversation.kind === 'direct'}
          />
        ))}
        {failed.map((entry) =>
          entry.mutation.name === 'message.send' ? (
            <li key={entry.mutationId} className="message message-mine message-failed" data-testid="message" data-status="failed">
              <p className="message-body" dir="auto">
                {entry.mutation.args.body}
              </p>
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
    item.scrollIntoView({ block: 'center' });
    item.focus({ preventScroll: true });
    item.classList.add('message-focused');
    const timer = setTimeout(() => item.classList.remove('message-focused'), 2_000);
    return () => clearTimeout(timer);
  }, [listRef, messageId, present]);
}

function MessageItem({
  message,
  mine,
  showStatus,
  others,
  isDirect,
}: {
  message: LocalMessage;
  mine: boolean;
  showStatus: boolean;
  others: ConversationView['others'];
  isDirect: boolean;
}) {
  if (message.kind === 'call') return <CallLine message={message} />;
  const delivery = mine ? deliveryStateOf(message, others) : null;
  const classes = ['message', mine ? 'message-mine' : 'message-theirs', message.kind === 'announcement' ? 'message-announcement' : ''].filter(Boolean).join(' ');
  return (
    <li className={classes} data-testid="message" data-status={delivery?.state ?? 'received'} data-message-id={message.id} tabIndex={-1}>
      {message.kind === 'announcement' && <p className="message-label">Announcement</p>}
      {!mine && (
        <p className="message-sender" dir="auto">
          {message.senderName}
        </p>
      )}
      <p className="message-body" dir="auto">
        {message.body}
      </p>
      <p className="message-meta">
        <time dateTime={message.createdAt}>{formatMessageTime(message.createdAt)}</time>
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
