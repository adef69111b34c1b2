import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { readDeviceId } from '../../../device-db/device-state';
import { DeviceList, type Device } from '../../../protocol';
import { apiRequest } from '../../net/api';
import { InlineError } from '../../ui/feedback';

const devicesKey = ['push', 'devices'] as const;

/**
 * The devices the server would push to for this user, each removable (a lost phone, an old
 * laptop). The list is the server's, so it shows only online; this device is turned off with the
 * switch above, which also drops its subscription.
 */
export function DevicesSection({ pushState }: { pushState: string }) {
  const client = useQueryClient();
  // Keyed by the switch's state, so turning push on or off here shows in the list at once.
  const devices = useQuery({
    queryKey: [...devicesKey, pushState],
    queryFn: ({ signal }) => apiRequest('/api/devices', { schema: DeviceList, signal }),
    select: (list) => list.devices,
  });
  const thisDevice = useQuery({ queryKey: ['push', 'this-device'], queryFn: readDeviceId, staleTime: Infinity, networkMode: 'always' });
  const remove = useMutation({
    mutationFn: (id: string) => apiRequest(`/api/devices/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: devicesKey }),
  });
  return (
    <section className="card settings-card" aria-labelledby="devices-title">
      <h2 id="devices-title" className="settings-legend">
        Devices that get your notifications
      </h2>
      {devices.fetchStatus === 'paused' && devices.data === undefined && <p className="muted">Shown when you are online.</p>}
      {devices.data?.length === 0 && <p className="muted">None yet.</p>}
      <ul className="device-list">
        {devices.data?.map((device) => (
          <DeviceRow key={device.id} device={device} isThis={device.id === thisDevice.data} removing={remove.isPending && remove.variables === device.id} onRemove={() => remove.mutate(device.id)} />
        ))}
      </ul>
      <InlineError message={devices.error?.message ?? remove.error?.message ?? null} />
    </section>
  );
}

function DeviceRow({ device, isThis, removing, onRemove }: { device: Device; isThis: boolean; removing: boolean; onRemove: () => void }) {
  return (
    <li className="device-row" data-testid="device">
      <span className="device-name">
        {device.platform}
        <span className="muted device-meta">
          {isThis ? 'This device' : `Last seen ${new Date(device.lastSeenAt).toLocaleDateString()}`}
          {device.kind === 'fcm' ? ' · Firebase' : ''}
        </span>
      </span>
      {!isThis && (
        <button type="button" className="button button-ghost button-compact" onClick={onRemove} disabled={removing}>
          {removing ? 'Removing…' : 'Remove'}
        </button>
      )}
    </li>
  );
}
