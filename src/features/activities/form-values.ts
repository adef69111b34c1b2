import type { ActivityView, CreateActivityBody } from '../../../protocol';

/** What the activity form edits: strings as the inputs hold them. */
export interface ActivityFormValues {
  title: string;
  description: string;
  location: string;
  /** `YYYY-MM-DDTHH:mm` in the device's time zone, as datetime-local inputs speak. */
  startsAt: string;
  endsAt: string;
  /** Empty means no limit. */
  capacity: string;
  isPrivate: boolean;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

export function toDateTimeLocal(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value read in the device's time zone, as an ISO instant (UTC). */
export function fromDateTimeLocal(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function nextFullHour(now = new Date()): Date {
  const next = new Date(now);
  next.setMinutes(0, 0, 0);
  next.setHours(next.getHours() + 1);
  return next;
}

export function emptyFormValues(now = new Date()): ActivityFormValues {
  return {
    title: '',
    description: '',
    location: '',
    startsAt: toDateTimeLocal(nextFullHour(now)),
    endsAt: '',
    capacity: '',
    isPrivate: false,
  };
}

export function formValuesOf(activity: ActivityView): ActivityFormValues {
  return {
    title: activity.title,
    description: activity.description,
    location: activity.location,
    startsAt: toDateTimeLocal(new Date(activity.startsAt)),
    endsAt: activity.endsAt ? toDateTimeLocal(new Date(activity.endsAt)) : '',
    capacity: activity.capacity === null ? '' : String(activity.capacity),
    isPrivate: activity.visibility === 'private',
  };
}

/**
 * The request body the form describes, before schema validation. Unparseable inputs are passed
 * through as-is so the schema reports them against the right field.
 */
export function bodyFromForm(values: ActivityFormValues): Record<keyof CreateActivityBody, unknown> {
  const capacity = values.capacity.trim();
  return {
    title: values.title,
    description: values.description,
    location: values.location,
    startsAt: fromDateTimeLocal(values.startsAt) ?? values.startsAt,
    endsAt: fromDateTimeLocal(values.endsAt),
    capacity: capacity === '' ? null : Number(capacity),
    visibility: values.isPrivate ? 'private' : 'public',
  };
}
