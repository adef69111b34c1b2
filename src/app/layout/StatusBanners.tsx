import { useConnectionState } from '../../net/connection-state';

/** Says what offline means for what the user sees right now. */
export function StatusBanners({ offlineSession }: { offlineSession: boolean }) {
  const connection = useConnectionState();
  if (connection !== 'offline') return null;
  return (
    <div className="banner banner-offline">
      {offlineSession
        ? "You're offline. You're seeing what's saved on this device; Rally reconnects when the network returns."
        : "You're offline. You're seeing what's saved on this device; it catches up when the network returns."}
    </div>
  );
}
