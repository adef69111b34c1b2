import { useQuery } from '@tanstack/react-query';
import { describeStorage, type StorageFigures } from './storage-figures';

async function readStorageFigures(): Promise<StorageFigures | null> {
  if (!navigator.storage?.estimate) return null;
  const [estimate, persisted] = await Promise.all([navigator.storage.estimate(), navigator.storage.persisted()]);
  return { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted };
}

/** What Rally keeps on this device, and whether the browser promised not to evict it. */
export function StorageSection() {
  // Device-only figures: read offline too, and again whenever settings open.
  const figures = useQuery({ queryKey: ['device', 'storage'], queryFn: readStorageFigures, networkMode: 'always', staleTime: 0 });
  if (!figures.data) return null;
  return (
    <p className="card settings-card muted settings-storage" data-testid="storage-use">
      {describeStorage(figures.data)}
    </p>
  );
}
