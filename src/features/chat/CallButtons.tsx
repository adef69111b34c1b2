import type { ReactNode } from 'react';
import type { Participant } from '../../../protocol';
import { startCall } from '../calls/call-entry';

/** Voice and video call buttons of a direct conversation (the call code loads on the first press). */
export function CallButtons({ conversationId, peer }: { conversationId: string; peer: Participant }) {
  return (
    <div className="chat-call-actions">
      <button type="button" className="icon-button" aria-label={`Voice call ${peer.displayName}`} onClick={() => startCall(conversationId, 'audio', peer)}>
        <LineIcon>
          <path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L8 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.5c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2Z" />
        </LineIcon>
      </button>
      <button type="button" className="icon-button" aria-label={`Video call ${peer.displayName}`} onClick={() => startCall(conversationId, 'video', peer)}>
        <LineIcon>
          <path d="m22 8-6 4 6 4V8Z" />
          <rect x="2" y="6" width="14" height="12" rx="2" />
        </LineIcon>
      </button>
    </div>
  );
}

/**
 * Drawn like ui/icons.tsx's line icons, but kept here: that module is in the first page load,
 * whose budget has no room for icons only a conversation screen shows.
 */
function LineIcon({ children }: { children: ReactNode }) {
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}
