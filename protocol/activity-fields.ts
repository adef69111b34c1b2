import { z } from 'zod';

/*
 * The rules of an activity's editable fields, written once: the request schemas of `activities.ts`
 * and `mutations.ts` are built from these. Only the limits leave `protocol/` (see `index.ts`); the
 * field schemas are building blocks, so the contract's fingerprint does not list them twice.
 */

/** The form shows these (`maxLength`, `min`) so a user meets the rule the server applies before sending. */
export const ACTIVITY_FIELD_LIMITS = {
  titleMaxLength: 120,
  descriptionMaxLength: 4000,
  locationMaxLength: 200,
  /** The owner counts as a member, so a capacity below 1 makes no sense. */
  capacityMin: 1,
  capacityMax: 100_000,
} as const;
const limits = ACTIVITY_FIELD_LIMITS;

const atMost = (length: number) => ({ message: `must be at most ${length} characters` });
export const Title = z.string().trim().min(1, { message: 'is required' }).max(limits.titleMaxLength, atMost(limits.titleMaxLength));
export const Description = z.string().trim().max(limits.descriptionMaxLength, atMost(limits.descriptionMaxLength));
export const Location = z.string().trim().max(limits.locationMaxLength, atMost(limits.locationMaxLength));
/** Null means "no limit". */
export const Capacity = z.number().int({ message: 'must be a whole number' }).min(limits.capacityMin).max(limits.capacityMax).nullable();
/** The version an edit started from; a stale one is a conflict. */
export const BaseVersion = z.number().int().min(1);

/** An edit names at least one field: one that changes nothing is a client bug, refused. */
export function namesSomeField(changes: object, ignoring: readonly string[] = []): boolean {
  return Object.keys(changes).some((key) => !ignoring.includes(key));
}
export const namesNoFieldIssue = { message: 'names no field to change' };

