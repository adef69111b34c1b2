/**
 * Chooses one tab per user to lead the pulls, so two tabs on one database do not do the same
 * work. The leader holds a Web Lock; when its tab closes, or freezes (Page Lifecycle), the lock
 * passes to a waiting tab. Other tabs ask the leader to pull over a BroadcastChannel. Without
 * Web Locks every tab leads: pulls are idempotent, so that is only more work, never wrong.
 */
export interface SyncLeadership {
  /** Pull now if this tab leads, else ask the leader to. */
  requestPull(): void;
  isLeader(): boolean;
  stop(): void;
}

export function electSyncLeader(userId: string, pull: () => void): SyncLeadership {
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`rally-sync-${userId}`) : null;
  let leader = false;
  let stopped = false;
  let release: (() => void) | null = null;

  const campaign = () => {
    if (stopped || release || !('locks' in navigator)) return;
    const held = new Promise<void>((resolve) => (release = resolve));
    void navigator.locks.request(`rally-sync-leader-${userId}`, async () => {
      if (stopped) return;
      leader = true;
      // A new leader may have missed what the last one was asked for: catch up first.
      pull();
      await held;
      leader = false;
    });
  };
  const abdicate = () => {
    release?.();
    release = null;
  };

  if (!('locks' in navigator)) leader = true;
  else campaign();

  const onFreeze = () => abdicate();
  const onResume = () => campaign();
  document.addEventListener('freeze', onFreeze);
  document.addEventListener('resume', onResume);
  if (channel) {
    channel.onmessage = (message: MessageEvent<unknown>) => {
      if (leader && message.data === 'pull') pull();
    };
  }

  return {
    requestPull() {
      if (stopped) return;
      if (leader) pull();
      else channel?.postMessage('pull');
    },
    isLeader: () => leader,
    stop() {
      stopped = true;
      abdicate();
      document.removeEventListener('freeze', onFreeze);
      document.removeEventListener('resume', onResume);
      channel?.close();
    },
  };
}
