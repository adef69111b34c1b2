import { useConnectionState } from '../../net/connection-state';

/** Says what offline means for what the user sees right now. */
export function StatusBanners({ offlineSession }: { offlineSession: boolean }) {
  const connection = useConnectionState();
  if (connection !== 'offline') return null;
  return (
    <div className="banner banner-offline">
      {offlineSession
        ? "You're offline. Rally will reconnect and sign you back in when the network returns."
        : "You're offline. Live updates pause until the network returns."}
    </div>
  );
}
