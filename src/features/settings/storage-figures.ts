const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 3.2 MB, 1.2 GB, 640 B: one decimal below 10 of a unit, none above (decimal units, as browsers show). */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export interface StorageFigures {
  usage: number;
  quota: number;
  persisted: boolean;
}

/** "Storage: 3.2 MB used of 1.2 GB available · kept: yes" */
export function describeStorage({ usage, quota, persisted }: StorageFigures): string {
  return `Storage: ${formatBytes(usage)} used of ${formatBytes(quota)} available · kept: ${persisted ? 'yes' : 'no'}`;
}
