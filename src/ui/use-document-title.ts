import { useEffect } from 'react';

/** Each screen names itself, so tabs, history and screen readers say where you are. */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · Rally` : 'Rally';
  }, [title]);
}
