import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { DELETED_MESSAGE_TEXT } from '../../../protocol/chat';
import { textOfMessage } from '../../../protocol/photos';
import { useConversationSummaries } from '../../data/chat-queries';
import type { ConversationSummary } from '../../data/chat-reads';
import { usePresence } from '../../data/chat-live';
import { useLocalUser } from '../../data/local-session';
import { Avatar } from '../../ui/Avatar';
import { EmptyState, Spinner } from '../../ui/feedback';
import { SearchInput } from '../../ui/SearchInput';
import { useDocumentTitle } from '../../ui/use-document-title';
import { BellOffIcon, PushPinIcon, SearchIcon } from '../../ui/icons';
import { useConversationSettings } from '../../data/push-queries';
import { isMuted, MAX_PINNED_CONVERSATIONS } from '../../../protocol/push-rules';
import { useOutbox } from '../../outbox/outbox-context';
import { arrangeChats } from './chat-list-order';
import { useUserSearch } from '../profile/queries';
import { useOpenDirect, usePresenceOf } from './chat-hooks';
import { formatMessageTime } from './format-chat';
import './chat.css';
import './chat-list.css';

export function ChatListScreen() {
  const me = useLocalUser();
  if (!me) return <Spinner label="Loading your conversations…" />;
  return <ChatList me={me.userId} />;
}

function ChatList({ me }: { me: string }) {
  useDocumentTitle('Chats');
  const summaries = useConversationSummaries();
  const settings = useConversationSettings();
  const [showArchived, setShowArchived] = useState(false);
  const [menuFor, setMenuFor] = useState<string | null>(null);
  usePresenceOf((summaries ?? []).flatMap((summary) => (summary.peer ? [summary.peer.userId] : [])));
  const now = new Date();
  const { pinned, others, archived } = arrangeChats(summaries ?? [], settings ?? new Map(), now);
  const row = (summary: ConversationSummary) => {
    const own = settings?.get(summary.conversation.id);
    return (
      <ConversationRow
        key={summary.conversation.id}
        summary={summary}
        me={me}
        muted={isMuted(own, now)}
        pinned={Boolean(own?.pinnedAt)}
        archived={Boolean(own?.archivedAt)}
        canPin={pinned.length < MAX_PINNED_CONVERSATIONS}
        menuOpen={menuFor === summary.conversation.id}
        onMenuOpenChange={(open) => setMenuFor(open ? summary.conversation.id : null)}
      />
    );
  };

  return (
    <section className="page page-narrow" aria-labelledby="chats-heading">
      <div className="chats-heading">
        <h1 id="chats-heading">Chats</h1>
        <Link to="/chat/search" className="button button-secondary" data-testid="search-messages">
          <SearchIcon /> Search messages
        </Link>
      </div>
      <NewConversation me={me} />
      {summaries === undefined || settings === undefined ? (
        <Spinner label="Loading your conversations…" />
      ) : summaries.length === 0 ? (
        <EmptyState title="No conversations yet">
          <p className="muted">Join an activity to chat with everyone going, or message someone directly.</p>
        </EmptyState>
      ) : (
        <>
          <ul className="conversation-list" aria-label="Conversations">
            {pinned.map(row)}
            {others.map(row)}
          </ul>
          {archived.length > 0 && (
            <div className="archived-chats">
              <button type="button" className="button button-ghost" aria-expanded={showArchived} onClick={() => setShowArchived(!showArchived)} data-testid="archived-toggle">
                Archived ({archived.length})
              </button>
              {showArchived && (
                <ul className="conversation-list" aria-label="Archived conversations">
                  {archived.map(row)}
                </ul>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}

function ConversationRow({
  summary,
  me,
  muted,
  pinned,
  archived,
  canPin,
  menuOpen,
  onMenuOpenChange,
}: {
  summary: ConversationSummary;
  me: string;
  muted: boolean;
  pinned: boolean;
  archived: boolean;
  /** Fewer than the most pins allowed: another may be pinned. */
  canPin: boolean;
  menuOpen: boolean;
  onMenuOpenChange: (open: boolean) => void;
}) {
  const presence = usePresence(summary.peer?.userId ?? null);
  const outbox = useOutbox();
  const menuRef = useRef<HTMLDivElement>(null);
  const moreRef = useRef<HTMLButtonElement>(null);
  // An opened menu takes the focus (its first choice that can be made); Escape gives it back.
  useEffect(() => {
    if (menuOpen) menuRef.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, [menuOpen]);
  const { last } = summary;
  const conversationId = summary.conversation.id;
  const choose = (request: Parameters<NonNullable<typeof outbox>['mutate']>[0]) => {
    onMenuOpenChange(false);
    void outbox?.mutate(request).catch(() => undefined);
  };
  // Each part isolated: an Arabic name before an English message (or the other way) keeps its order.
  const preview = last ? (
    <>
      <bdi>{last.senderId === me ? 'You' : last.senderName}</bdi>: <bdi>{last.deletedAt ? DELETED_MESSAGE_TEXT : textOfMessage(last)}</bdi>
    </>
  ) : (
    'No messages yet'
  );
  return (
    <li
      className="conversation-item"
      data-pinned={pinned || undefined}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !menuOpen) return;
        onMenuOpenChange(false);
        moreRef.current?.focus();
      }}
    >
      <div className="conversation-line">
        <Link to={`/chat/${conversationId}`} className="conversation-row card" data-testid="conversation">
          <span className="conversation-avatar">
            <Avatar userId={summary.peer?.userId ?? conversationId} name={summary.title} size="md" />
            {summary.peer && <span className={`presence-dot presence-${presence?.status ?? 'offline'}`} aria-hidden="true" />}
          </span>
          <span className="conversation-text">
            <span className="conversation-title" dir="auto">
              {summary.title}
            </span>
            <span className="conversation-preview muted">{preview}</span>
          </span>
          <span className="conversation-side">
            {last && <time className="muted">{formatMessageTime(last.createdAt)}</time>}
            <span className="conversation-marks">
              {pinned && (
                <span className="muted" data-testid="pinned" role="img" aria-label="Pinned">
                  <PushPinIcon />
                </span>
              )}
              {/* Muted only silences pushes: unread still counts. */}
              {muted && (
                <span className="muted conversation-muted" data-testid="muted" role="img" aria-label="Muted">
                  <BellOffIcon />
                </span>
              )}
              {summary.unread > 0 && (
                <span className="unread-badge" data-testid="unread" aria-label={`${summary.unread} unread`}>
                  {summary.unread}
                </span>
              )}
            </span>
          </span>
        </Link>
        <button
          ref={moreRef}
          type="button"
          className="icon-button conversation-more"
          aria-label={`More for ${summary.title}`}
          aria-haspopup="menu"
          aria-expanded={menuOpen}
          data-testid="conversation-actions"
          onClick={() => onMenuOpenChange(!menuOpen)}
        >
          <span aria-hidden="true">⋯</span>
        </button>
      </div>
      {menuOpen && (
        <div ref={menuRef} role="menu" aria-label={`Actions for ${summary.title}`} className="message-menu-items conversation-menu">
          {pinned ? (
            <button type="button" role="menuitem" className="message-menu-item" onClick={() => choose({ name: 'conversation.pin', args: { conversationId, pinned: false } })}>
              Unpin
            </button>
          ) : (
            <button
              type="button"
              role="menuitem"
              className="message-menu-item"
              disabled={!canPin || archived}
              onClick={() => choose({ name: 'conversation.pin', args: { conversationId, pinned: true } })}
            >
              {canPin ? 'Pin to top' : `Pin to top (${MAX_PINNED_CONVERSATIONS} at most: unpin one first)`}
            </button>
          )}
          <button
            type="button"
            role="menuitem"
            className="message-menu-item"
            onClick={() => choose({ name: 'conversation.archive', args: { conversationId, archived: !archived } })}
          >
            {archived ? 'Unarchive' : 'Archive'}
          </button>
        </div>
      )}
    </li>
  );
}

function NewConversation({ me }: { me: string }) {
  const [query, setQuery] = useState('');
  const search = useUserSearch(query);
  const openDirect = useOpenDirect();
  const people = (search.data ?? []).filter((person) => person.id !== me);

  return (
    <div className="new-conversation">
      <SearchInput id="people-search" label="Message someone" placeholder="Search people by name" value={query} onSearch={setQuery} />
      {query.trim() && (
        <ul className="people-results" aria-label="People">
          {search.isError && <li className="muted">Searching people needs a connection.</li>}
          {people.map((person) => (
            <li key={person.id}>
              <button type="button" className="person-button" onClick={() => void openDirect({ userId: person.id, displayName: person.displayName })}>
                <Avatar userId={person.id} name={person.displayName} size="sm" /> <bdi>{person.displayName}</bdi>
              </button>
            </li>
          ))}
          {search.isSuccess && people.length === 0 && <li className="muted">Nobody by that name.</li>}
        </ul>
      )}
    </div>
  );
}
