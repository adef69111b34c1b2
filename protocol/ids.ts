import { z } from 'zod';

/** Server-made ids are UUIDs; parsing them at the edge keeps junk out of SQL parameters. */
export const Id = z.uuid();
export type Id = z.infer<typeof Id>;

/** Instants travel as ISO-8601 strings in UTC. */
export const Instant = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-05-01T18:00:00Z' })
  // One canonical form (UTC, milliseconds) so instants compare and sort correctly as text.
  .transform((value) => new Date(value).toISOString());
export type Instant = z.infer<typeof Instant>;
