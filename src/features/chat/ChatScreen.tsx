import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useLiveQuery } from 'dexie-react-hooks';
import { MESSAGE_MAX_LENGTH, MESSAGE_PAGE_SIZE, type Presence } from '../../../protocol';
import { describeTypers, usePresence, useTypers } from '../../data/chat-live';
import { deliveryStateOf, readConversation, type ConversationView } from '../../data/chat-reads';
import type { LocalMessage, OutboxEntry } from '../../data/local-db';
import { useLocalData, useOptionalLocalData } from '../../data/local-data';
import { Avatar } from '../../ui/Avatar';
import { EmptyState, Spinner } from '../../ui/feedback';
import { ArrowLeftIcon } from '../../ui/icons';
import { useDocumentTitle } from '../../ui/use-document-title';
import { useHasSynced } from '../activities/queries';
import { loadOlderMessages, usePresenceOf, useTypingNotifier } from './chat-hooks';
import { formatLastSeen, formatMessageTime } from './format-chat';
import './chat.css';

export function ChatScreen() {
  // The device's database opens a moment after a cold start.
  if (!useOptionalLocalData()) return <Spinner label="Opening the conversation…" />;
  return <ChatScreenBody />;
}

function ChatScreenBody() {
  const { chatId = '' } = useParams();
  const local = useLocalData();
  const view = useLiveQuery(() => readConversation(local.db, local.userId, chatId), [local.db, local.userId, chatId]);
  const hasSynced = useHasSynced();
  useDocumentTitle(view?.title ?? 'Chat');

  if (view === undefined) return <Spinner label="Opening the conversation…" />;
  if (view === null) {
    if (!hasSynced) return <Spinner label="Syncing your conversations…" />;
    return (
      <section className="page page-narrow">
        <EmptyState title="This conversation isn't available">
          <p className="muted">Activity chats are for the people going: join the activity to talk with them.</p>
          <Link to={`/activities/${chatId}`} className="button button-secondary">
            Go to the activity
          </Link>
          {/* The id may name nothing at all (a stale or mistyped link): home always exists. */}
          <Link to="/" className="button button-ghost">
            Back to the feed
          </Link>
        </EmptyState>
      </section>
    );
  }
  return <Conversation view={view} />;
}

function Conversation({ view }: { view: ConversationView }) {
  const local = useLocalData();
  const { conversation } = view;
  const peerPresence = usePresence(view.peer?.userId ?? null);
  usePresenceOf(view.peer ? [view.peer.userId] : []);
  const failed = useLiveQuery(
    () => local.db.outbox.where('status').equals('failed').filter((entry) => entry.mutation.name === 'message.send' && entry.mutation.args.conversationId === conversation.id).toArray(),
    [local.db, conversation.id],
    [] as OutboxEntry[],
  );

  // Read: whatever is on screen while the page is visible.
  const newestSeq = view.messages.reduce((max, message) => Math.max(max, message.seq), 0);
  useEffect(() => {
    const markRead = () => {
      if (document.visibilityState === 'visible' && newestSeq > view.myReadSeq) void local.receipts.advance(conversation.id, newestSeq, true);
    };
    markRead();
    document.addEventListener('visibilitychange', markRead);
    return () => document.removeEventListener('visibilitychange', markRead);
  }, [local.receipts, conversation.id, newestSeq, view.myReadSeq]);

  return (
    <section className="page page-narrow chat" aria-labelledby="chat-title">
      <header className="chat-header">
        <Link to={conversation.activityId ? `/activities/${conversation.activityId}` : '/chat'} className="back-link">
          <ArrowLeftIcon /> {conversation.activityId ? 'Activity' : 'Chats'}
        </Link>
        <div className="chat-heading">
          {view.peer && <Avatar userId={view.peer.userId} name={view.peer.displayName} size="sm" />}
          <div>
            <h1 id="chat-title" className="chat-title">
              {view.title}
            </h1>
            {view.peer ? (
              <PresenceLine presence={peerPresence} />
            ) : (
              <p className="muted chat-subtitle">
                {view.memberCount} {view.memberCount === 1 ? 'member' : 'members'}
                {view.checkinCount !== null && (
                  <>
                    {' · '}
                    <span data-testid="attendance" aria-live="polite">
                      {view.checkinCount} checked in
                    </span>
                  </>
                )}
              </p>
            )}
          </div>
        </div>
      </header>
      <MessageList view={view} failed={failed} />
      <TypingLine conversationId={conversation.id} />
      <Composer view={view} />
    </section>
  );
}

function PresenceLine({ presence }: { presence: Presence | undefined }) {
  const status = presence?.status ?? 'offline';
  const text =
    status === 'online' ? 'Online' : status === 'away' ? 'Away' : presence?.lastSeenAt ? `Last seen ${formatLastSeen(presence.lastSeenAt)}` : 'Offline';
  return (
    <p className="muted chat-subtitle presence-line" data-testid="presence" data-status={status}>
      <span className={`presence-dot presence-${status}`} aria-hidden="true" /> {text}
    </p>
  );
}

function MessageList({ view, failed }: { view: ConversationView; failed: OutboxEntry[] }) {
  const local = useLocalData();
  const listRef = useRef<HTMLOListElement>(null);
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

  async function loadOlder() {
    if (older === 'loading' || !canLoadOlder) return;
    setOlder('loading');
    const list = listRef.current;
    const fromBottom = list ? list.scrollHeight - list.scrollTop : 0;
    try {
      const hasMore = await loadOlderMessages(local.db, view.conversation.id, oldestSeq);
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
  const lastMineSent = [...view.messages].reverse().find((message) => message.senderId === local.userId && message.seq > 0);

  return (
    <ol
      className="message-list"
      ref={listRef}
      role="log"
      aria-label="Messages"
      aria-live="polite"
      onScroll={(event) => {
        if (event.currentTarget.scrollTop < 40 && older === 'idle') void loadOlder();
      }}
    >
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
          mine={message.senderId === local.userId}
          showStatus={message.seq === 0 || message.id === lastMineSent?.id}
          others={others}
          isDirect={view.conversation.kind === 'direct'}
        />
      ))}
      {failed.map((entry) =>
        entry.mutation.name === 'message.send' ? (
          <li key={entry.mutationId} className="message message-mine message-failed" data-testid="message" data-status="failed">
            <p className="message-body">{entry.mutation.args.body}</p>
            <p className="message-meta">
              Not sent{entry.error ? `: ${entry.error.message}` : ''}{' '}
              <button type="button" className="link-button" onClick={() => void local.outbox.retry(entry.mutationId)}>
                Retry
              </button>{' '}
              <button type="button" className="link-button" onClick={() => void local.outbox.discard(entry.mutationId)}>
                Discard
              </button>
            </p>
          </li>
        ) : null,
      )}
    </ol>
  );
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
  const delivery = mine ? deliveryStateOf(message, others) : null;
  const classes = ['message', mine ? 'message-mine' : 'message-theirs', message.kind === 'announcement' ? 'message-announcement' : ''].filter(Boolean).join(' ');
  return (
    <li className={classes} data-testid="message" data-status={delivery?.state ?? 'received'} data-message-id={message.id}>
      {message.kind === 'announcement' && <p className="message-label">Announcement</p>}
      {!mine && <p className="message-sender">{message.senderName}</p>}
      <p className="message-body">{message.body}</p>
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

function TypingLine({ conversationId }: { conversationId: string }) {
  const text = describeTypers(useTypers(conversationId));
  return (
    <p className="typing-line muted" data-testid="typing" aria-live="polite">
      {text ?? ' '}
    </p>
  );
}

function Composer({ view }: { view: ConversationView }) {
  const local = useLocalData();
  const [body, setBody] = useState('');
  const [announce, setAnnounce] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const typing = useTypingNotifier(view.conversation.id);
  const canAnnounce = view.isOrganizer && view.conversation.kind === 'activity';

  async function send(event?: FormEvent) {
    event?.preventDefault();
    const text = body.trim();
    if (!text) return;
    setError(null);
    try {
      await local.outbox.mutate({
        name: 'message.send',
        args: { id: crypto.randomUUID(), conversationId: view.conversation.id, body: text, kind: announce ? 'announcement' : 'text' },
      });
      setBody('');
      setAnnounce(false);
      typing.onSent();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Could not send. Please try again.');
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  }

  return (
    <form className="composer" onSubmit={(event) => void send(event)}>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {canAnnounce && (
        <label className="checkbox-line">
          <input type="checkbox" checked={announce} onChange={(event) => setAnnounce(event.target.checked)} /> Send as an announcement to everyone going
        </label>
      )}
      <div className="composer-row">
        <label htmlFor="composer-input" className="visually-hidden">
          Message
        </label>
        <textarea
          id="composer-input"
          className="composer-input"
          rows={1}
          maxLength={MESSAGE_MAX_LENGTH}
          placeholder={announce ? 'Write an announcement…' : 'Write a message…'}
          value={body}
          onChange={(event) => {
            setBody(event.target.value);
            if (event.target.value.trim()) typing.onInput();
          }}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="button button-primary" disabled={!body.trim()}>
          Send
        </button>
      </div>
    </form>
  );
}
