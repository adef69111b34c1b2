import { editableActivityFieldNames, type ActivityView, type CreateActivityBody, type EditableActivityFields } from '../../../protocol';

/** What the edit form compares: kept apart from useWrite, whose buttons are on the feed, so the schemas it reads load with the form. */

export function editableFieldsOf(activity: ActivityView): EditableActivityFields {
  const { title, description, location, startsAt, endsAt, capacity, visibility } = activity;
  return { title, description, location, startsAt, endsAt, capacity, visibility };
}

/** The form holds times to the minute: a start it did not touch must not count as changed for its seconds. */
const toMinute = (value: string) => Math.floor(Date.parse(value) / 60_000);
const sameInstant = (a: string | null, b: string | null) => (a === null || b === null ? a === b : toMinute(a) === toMinute(b));

/** Only the fields the user changed, compared with the activity as the form loaded it. */
export function changedFields(base: EditableActivityFields, edited: CreateActivityBody): Partial<EditableActivityFields> {
  const changes: Record<string, unknown> = {};
  for (const name of editableActivityFieldNames) {
    const before = base[name];
    const after = edited[name];
    const same = name === 'startsAt' || name === 'endsAt' ? sameInstant(before as string | null, after as string | null) : before === after;
    if (!same) changes[name] = after;
  }
  return changes as Partial<EditableActivityFields>;
}
