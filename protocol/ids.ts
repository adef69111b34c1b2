import { z } from 'zod';

/** Server-made ids are UUIDs; parsing them at the edge keeps junk out of SQL parameters. */
export const Id = z.uuid();
export type Id = z.infer<typeof Id>;

/** UUID versions 4 (random) and 7 (time, then random): the only ones nobody else can work out in advance. */
const RANDOM_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * An id a client makes for something whose id others depend on: an activity, whose chat room takes
 * the same id. It must be random, because derived ids can be computed by anyone: a direct
 * conversation's id (`directConversationId`, version 8) taken by an activity would put its owner in
 * the middle of two other people's chat. `crypto.randomUUID()` makes version 4.
 */
export const RandomId = z.string().regex(RANDOM_UUID, { message: 'must be a random UUID (version 4 or 7)' });

/**
 * Instants travel as ISO-8601 strings in UTC. The server only ever sends the canonical form
 * (`toISOString()`: UTC, milliseconds), so responses are checked, not rewritten.
 */
export const Instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-05-01T18:00:00Z' });
export type Instant = z.infer<typeof Instant>;

/** An instant a client sends: any offset is accepted and stored in the canonical form, so text order is time order. */
export const InstantInput = Instant.transform((value) => new Date(value).toISOString());
