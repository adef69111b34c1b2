import { describe, expect, it } from 'vitest';
import { dayOfPartition, isWithinRetention, nextDay, oldestKeptDay, partitionDays, partitionNameOf, utcDayOf } from './analytics-days';

const now = new Date('2026-12-02T12:00:00Z');

describe('analytics days', () => {
  it('puts an event on the UTC day of its own time, whatever its offset', () => {
    expect(utcDayOf('2026-12-02T23:30:00Z')).toBe('2026-12-02');
    expect(utcDayOf('2026-12-03T00:30:00+01:00')).toBe('2026-12-02');
    expect(utcDayOf('2026-12-02T23:30:00-02:00')).toBe('2026-12-03');
  });

  it('keeps the retention’s days, today included, and up to a day ahead of the server’s clock', () => {
    expect(oldestKeptDay(now, 1)).toBe('2026-12-02');
    expect(oldestKeptDay(now, 30)).toBe('2026-11-03');
    expect(isWithinRetention('2026-11-03T00:00:00Z', now, 30)).toBe(true);
    expect(isWithinRetention('2026-11-02T23:59:59Z', now, 30)).toBe(false);
    expect(isWithinRetention('2026-12-03T12:00:00Z', now, 30)).toBe(true);
    expect(isWithinRetention('2026-12-03T12:00:01Z', now, 30)).toBe(false);
  });

  it('makes a partition for every kept day and three ahead, named by day', () => {
    expect(partitionDays(now, 2)).toEqual(['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05']);
    expect(partitionNameOf('2026-12-02')).toBe('analytics_events_d20261202');
    expect(dayOfPartition('analytics_events_d20261202')).toBe('2026-12-02');
    expect(dayOfPartition('analytics_events_default')).toBeNull();
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });
});
