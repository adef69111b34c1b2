import { Link, useParams } from 'react-router';
import { ChatIcon } from '../../ui/icons';
import { useDocumentTitle } from '../../ui/use-document-title';

/** Chat lives in each activity's socket room; until it ships, this says so. */
export function ChatScreen() {
  const { chatId = '' } = useParams();
  useDocumentTitle('Chat');
  return (
    <section className="page page-narrow">
      <div className="empty-state card">
        <span className="empty-icon" aria-hidden="true">
          <ChatIcon />
        </span>
        <h1>Chat is coming soon</h1>
        <p className="muted">Soon you'll be able to talk plans through with everyone going, right here.</p>
        <Link to={`/activities/${chatId}`} className="button button-secondary">
          Back to the activity
        </Link>
      </div>
    </section>
  );
}
