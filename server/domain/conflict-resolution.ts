import {
  DEFAULT_ACTIVITY_STRATEGY,
  editableActivityFieldNames as editableFieldNames,
  type ConflictStrategy,
  type EditableActivityFields,
  type Resolution,
} from '../../protocol';

export type EditableField = keyof EditableActivityFields;
export type FieldChanges = { [K in keyof EditableActivityFields]?: EditableActivityFields[K] | undefined };

export interface EditConflictInput {
  strategy: ConflictStrategy | undefined;
  /** The server's row now. */
  current: EditableActivityFields & { version: number; updatedAt: string };
  /** What the client's edit started from; none: the edit does not say, so it cannot conflict. */
  baseVersion: number | undefined;
  base: EditableActivityFields | undefined;
  changes: FieldChanges;
  /** When the user made the edit (client clock). */
  editedAt: string;
}

export type EditDecision =
  | { kind: 'apply'; fields: FieldChanges; resolution: Resolution }
  | { kind: 'keep'; resolution: Resolution }
  | { kind: 'conflict'; fields: EditableField[] };

/**
 * Settles an edit against the server's row. Without a conflict (the row is still at the edit's
 * base version, or the edit names none, as a REST PATCH may) the changes apply. With one, the strategy decides:
 * - last-write-wins: the changes apply over whatever happened meanwhile;
 * - fail-on-conflict: refused, so the user chooses (409 with the server's copy);
 * - server-wins: the server's row stays as it is;
 * - client-wins: the client's whole copy (base plus changes) replaces the server's fields;
 * - newest-wins: whichever was edited later (client edit time vs the row's last change) stays;
 * - merge: field by field — changed on one side only, that side's value stays; changed on both
 *   sides to different values, that field falls back to the activity default (fail-on-conflict).
 */
export function resolveActivityEdit(input: EditConflictInput): EditDecision {
  const strategy = input.strategy ?? DEFAULT_ACTIVITY_STRATEGY;
  const changed = Object.keys(input.changes) as EditableField[];
  // The version also moves when others like or join; only a change to an editable field since
  // the edit's base is a conflict.
  const untouched = input.base !== undefined && editableFieldNames.every((field) => input.current[field] === input.base?.[field]);
  const unchangedSinceBase = input.baseVersion === undefined || input.current.version === input.baseVersion || untouched;
  if (unchangedSinceBase) return { kind: 'apply', fields: input.changes, resolution: 'applied' };

  switch (strategy) {
    case 'last-write-wins':
      return { kind: 'apply', fields: input.changes, resolution: 'applied' };
    case 'fail-on-conflict':
      return { kind: 'conflict', fields: changed };
    case 'server-wins':
      return { kind: 'keep', resolution: 'server-wins' };
    case 'client-wins':
      return { kind: 'apply', fields: { ...(input.base ?? {}), ...input.changes }, resolution: 'client-wins' };
    case 'newest-wins':
      return Date.parse(input.editedAt) > Date.parse(input.current.updatedAt)
        ? { kind: 'apply', fields: input.changes, resolution: 'newest-wins' }
        : { kind: 'keep', resolution: 'server-wins' };
    case 'merge':
      return merge(input, changed);
  }
}

function merge(input: EditConflictInput, changed: EditableField[]): EditDecision {
  // Without the values the edit started from, nobody can tell which side changed a field.
  if (!input.base) return resolveActivityEdit({ ...input, strategy: DEFAULT_ACTIVITY_STRATEGY });
  const fields: FieldChanges = {};
  const clashes: EditableField[] = [];
  for (const field of changed) {
    const mine = input.changes[field];
    const theirs = input.current[field];
    const serverChanged = theirs !== input.base[field];
    if (!serverChanged) Object.assign(fields, { [field]: mine });
    else if (theirs !== mine) clashes.push(field);
  }
  if (clashes.length > 0) {
    const fallback = resolveActivityEdit({ ...input, strategy: DEFAULT_ACTIVITY_STRATEGY, changes: pick(input.changes, clashes) });
    if (fallback.kind === 'conflict') return { kind: 'conflict', fields: clashes };
    if (fallback.kind === 'apply') Object.assign(fields, fallback.fields);
  }
  return Object.keys(fields).length > 0 ? { kind: 'apply', fields, resolution: 'merged' } : { kind: 'keep', resolution: 'merged' };
}

function pick(changes: FieldChanges, fields: EditableField[]): FieldChanges {
  const picked: FieldChanges = {};
  for (const field of fields) Object.assign(picked, { [field]: changes[field] });
  return picked;
}
