import { Link } from 'react-router';
import { useDocumentTitle } from '../ui/use-document-title';

export function NotFoundScreen() {
  useDocumentTitle('Not found');
  return (
    <section className="page page-narrow empty-state">
      <h1>Nothing here</h1>
      <p className="muted">That page doesn't exist, or it moved.</p>
      <Link className="button button-primary" to="/">
        Back to the feed
      </Link>
    </section>
  );
}
