import { electSyncLeader, type SyncLeadership } from '../../data/sync-leader';
import { requestPersistentStorageOnce } from '../persistent-storage';
import type { LocalData } from './open-local-data';

/**
 * Once there is a token: the leading tab pulls until caught up, and again when the page becomes
 * visible or the browser says it is online (other tabs ask the leader). Stop with `stop()`.
 */
export function leadPulls(local: LocalData): SyncLeadership {
  // After a pull, what others sent that is now on this device counts as delivered, and the
  // device holds the user's data: worth asking the browser to keep it (once per device).
  const pull = () =>
    void local.engine
      .pull()
      .then(() => Promise.all([local.receipts.noteArrivals(), requestPersistentStorageOnce()]))
      .catch(() => undefined);
  const elected = electSyncLeader(local.session.userId, pull);
  const onVisible = () => {
    if (document.visibilityState === 'visible') elected.requestPull();
  };
  const onOnline = () => elected.requestPull();
  document.addEventListener('visibilitychange', onVisible);
  window.addEventListener('online', onOnline);
  return {
    ...elected,
    stop() {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', onOnline);
      elected.stop();
    },
  };
}
