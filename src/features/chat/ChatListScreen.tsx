import { useState } from 'react';
import { Link } from 'react-router';
import { DELETED_MESSAGE_TEXT } from '../../../protocol/chat';
import { useConversationSummaries } from '../../data/chat-queries';
import type { ConversationSummary } from '../../data/chat-reads';
import { usePresence } from '../../data/chat-live';
import { useLocalUser } from '../../data/local-session';
import { Avatar } from '../../ui/Avatar';
import { EmptyState, Spinner } from '../../ui/feedback';
import { SearchInput } from '../../ui/SearchInput';
import { useDocumentTitle } from '../../ui/use-document-title';
import { BellOffIcon, SearchIcon } from '../../ui/icons';
import { useMutedConversationIds } from '../../data/push-queries';
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
  const muted = useMutedConversationIds();
  usePresenceOf((summaries ?? []).flatMap((summary) => (summary.peer ? [summary.peer.userId] : [])));

  return (
    <section className="page page-narrow" aria-labelledby="chats-heading">
      <div className="chats-heading">
        <h1 id="chats-heading">Chats</h1>
        <Link to="/chat/search" className="button button-secondary" data-testid="search-messages">
          <SearchIcon /> Search messages
        </Link>
      </div>
      <NewConversation me={me} />
      {summaries === undefined ? (
        <Spinner label="Loading your conversations…" />
      ) : summaries.length === 0 ? (
        <EmptyState title="No conversations yet">
          <p className="muted">Join an activity to chat with everyone going, or message someone directly.</p>
        </EmptyState>
      ) : (
        <ul className="conversation-list" aria-label="Conversations">
          {summaries.map((summary) => (
            <ConversationRow key={summary.conversation.id} summary={summary} me={me} muted={muted.has(summary.conversation.id)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ConversationRow({ summary, me, muted }: { summary: ConversationSummary; me: string; muted: boolean }) {
  const presence = usePresence(summary.peer?.userId ?? null);
  const { last } = summary;
  // Each part isolated: an Arabic name before an English message (or the other way) keeps its order.
  const preview = last ? (
    <>
      <bdi>{last.senderId === me ? 'You' : last.senderName}</bdi>: <bdi>{last.deletedAt ? DELETED_MESSAGE_TEXT : last.body}</bdi>
    </>
  ) : (
    'No messages yet'
  );
  return (
    <li>
      <Link to={`/chat/${summary.conversation.id}`} className="conversation-row card" data-testid="conversation">
        <span className="conversation-avatar">
          <Avatar userId={summary.peer?.userId ?? summary.conversation.id} name={summary.title} size="md" />
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
      </Link>
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
