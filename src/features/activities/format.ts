import type { Activity } from '../../../protocol';
import { dateFormat } from '../../ui/date-format';

const dayAndTime = dateFormat({ weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
const monthShort = dateFormat({ month: 'short' });
const dayOfMonth = dateFormat({ day: 'numeric' });
const longDate = dateFormat({ dateStyle: 'full', timeStyle: 'short' });

/** "Sat, Nov 29, 3:00 PM – 5:00 PM", collapsing what start and end share. */
export function formatWhen(activity: Pick<Activity, 'startsAt' | 'endsAt'>): string {
  const start = new Date(activity.startsAt);
  if (!activity.endsAt) return dayAndTime().format(start);
  return dayAndTime().formatRange(start, new Date(activity.endsAt));
}

export function formatWhenLong(startsAt: string): string {
  return longDate().format(new Date(startsAt));
}

/** The tear-off calendar on each card. */
export function calendarParts(startsAt: string): { month: string; day: string } {
  const start = new Date(startsAt);
  return { month: monthShort().format(start), day: dayOfMonth().format(start) };
}

export function hasEnded(activity: Pick<Activity, 'startsAt' | 'endsAt'>, now = Date.now()): boolean {
  return Date.parse(activity.endsAt ?? activity.startsAt) < now;
}
