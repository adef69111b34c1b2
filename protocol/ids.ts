import { z } from 'zod';

/** Server-made ids are UUIDs; parsing them at the edge keeps junk out of SQL parameters. */
export const Id = z.uuid();
export type Id = z.infer<typeof Id>;

/**
 * Instants travel as ISO-8601 strings in UTC. The server only ever sends the canonical form
 * (`toISOString()`: UTC, milliseconds), so responses are checked, not rewritten.
 */
export const Instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-05-01T18:00:00Z' });
export type Instant = z.infer<typeof Instant>;

/** An instant a client sends: any offset is accepted and stored in the canonical form, so text order is time order. */
export const InstantInput = Instant.transform((value) => new Date(value).toISOString());
