import { PageToWorkerMessage } from '../protocol/worker-messages';
import { discardWritesOf, notePageSession, replayOnRequest } from './outbox';
import { flushAnalytics } from './analytics-flush';

/** Answers the typed messages the page posts (see protocol/worker-messages.ts). */
export function listenToPageMessages(scope: ServiceWorkerGlobalScope): void {
  scope.addEventListener('message', (event) => {
    const parsed = PageToWorkerMessage.safeParse(event.data);
    if (!parsed.success) return;
    switch (parsed.data.type) {
      case 'SKIP_WAITING':
        // The user accepted the update prompt: activate now instead of after every tab closes.
        void scope.skipWaiting();
        break;
      case 'REPLAY_OUTBOX':
        // A page opened or the network came back.
        notePageSession(parsed.data.userId, parsed.data.accessToken);
        if (parsed.data.userId) replayOnRequest(event, parsed.data.userId);
        break;
      case 'DISCARD_WRITES':
        // Its user signed out: nothing of theirs is sent any more, with their token or anyone's.
        notePageSession(undefined, undefined);
        event.waitUntil(discardWritesOf(parsed.data.userId));
        break;
      case 'FLUSH_ANALYTICS':
        // The page is going away: send its queued analytics events after it.
        event.waitUntil(flushAnalytics(parsed.data.userId, parsed.data.accessToken));
        break;
    }
  });
}
