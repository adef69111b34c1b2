import { useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { matchRanges } from '../../../device-db/search-terms';
import { useLocalUser } from '../../data/local-session';
import { useMessageSearch } from '../../data/message-search-queries';
import type { MessageSearchHit, MessageSearchResults } from '../../data/message-search-reads';
import { EmptyState, Spinner } from '../../ui/feedback';
import { ArrowLeftIcon } from '../../ui/icons';
import { SearchInput } from '../../ui/SearchInput';
import { useDocumentTitle } from '../../ui/use-document-title';
import { formatMessageTime } from '../chat/format-chat';
import { snippetOf } from './snippet';
import './message-search.css';

/**
 * Search of every message on this device, across conversations, offline as online. The query
 * lives in the address (`?q=`), so going back from a hit's chat comes back to these results.
 */
export function MessageSearchScreen() {
  const me = useLocalUser();
  useDocumentTitle('Search messages');
  const [params, setParams] = useSearchParams();
  const text = params.get('q') ?? '';
  const setText = (next: string) => setParams(next ? { q: next } : {}, { replace: true });

  return (
    <section className="page page-narrow message-search" aria-labelledby="search-heading">
      <header className="search-header">
        <Link to="/chat" className="icon-button search-back" aria-label="Back to chats">
          <ArrowLeftIcon />
        </Link>
        <h1 id="search-heading">Search messages</h1>
      </header>
      <SearchInput id="message-search" label="Search messages" hideLabel placeholder="Search every chat on this device" value={text} onSearch={setText} autoFocus />
      {me ? <Results text={text} me={me.userId} /> : <Spinner label="Opening your messages…" />}
    </section>
  );
}

function Results({ text, me }: { text: string; me: string }) {
  const results = useMessageSearch(text);
  // While the next keystroke's answer is read, the last one stays on screen rather than a spinner.
  const shown = useRef<MessageSearchResults | undefined>(undefined);
  if (results) shown.current = results;
  const current = shown.current;
  if (!text.trim()) return <p className="muted search-hint">Find words in any conversation, even offline.</p>;
  if (!current) return <Spinner label="Searching…" />;
  if (current.total === 0) {
    return (
      <EmptyState title="No messages found">
        <p className="muted">Nothing on this device matches “{text.trim()}”.</p>
      </EmptyState>
    );
  }
  return (
    <>
      <p className="muted search-count" role="status">
        {current.total === 1 ? '1 message' : current.total > current.hits.length ? `${current.hits.length} newest of ${current.total} messages` : `${current.total} messages`}
      </p>
      <ul className="search-hits" aria-label="Messages found">
        {current.hits.map((hit) => (
          <SearchHit key={hit.message.id} hit={hit} results={current} me={me} />
        ))}
      </ul>
    </>
  );
}

function SearchHit({ hit, results, me }: { hit: MessageSearchHit; results: MessageSearchResults; me: string }) {
  const { message } = hit;
  const parts = snippetOf(message.body, matchRanges(message.body, results.query));
  return (
    <li>
      <Link to={`/chat/${message.conversationId}?message=${encodeURIComponent(message.id)}`} className="search-hit card" data-testid="search-hit" data-message-id={message.id}>
        <span className="search-hit-head">
          <bdi className="search-hit-title">{hit.conversationTitle}</bdi>
          <time className="muted" dateTime={message.createdAt}>
            {formatMessageTime(message.createdAt)}
          </time>
        </span>
        <span className="search-hit-sender muted">
          <bdi>{message.senderId === me ? 'You' : message.senderName}</bdi>
        </span>
        <span className="search-hit-snippet" dir="auto">
          {parts.map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
        </span>
      </Link>
    </li>
  );
}
