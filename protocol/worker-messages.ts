import { z } from 'zod';

/**
 * Messages the page posts to the service worker. One discriminated union so the worker can parse
 * whatever arrives and ignore the rest; a new concern (push, say) adds its own members here.
 */
export const SkipWaitingMessage = z.strictObject({ type: z.literal('SKIP_WAITING') });
export type SkipWaitingMessage = z.infer<typeof SkipWaitingMessage>;

/**
 * The network is back, or a Rally page just opened: replay the queued mutations now. The page says
 * who is signed in (the worker sends nobody else's writes) and lends its access token for the
 * replay; the worker keeps it in memory only.
 */
export const ReplayOutboxMessage = z.strictObject({
  type: z.literal('REPLAY_OUTBOX'),
  userId: z.string().optional(),
  accessToken: z.string().optional(),
});
export type ReplayOutboxMessage = z.infer<typeof ReplayOutboxMessage>;

/** A user signed out and chose to drop what they had not sent: the worker forgets their writes. */
export const DiscardWritesMessage = z.strictObject({ type: z.literal('DISCARD_WRITES'), userId: z.string() });
export type DiscardWritesMessage = z.infer<typeof DiscardWritesMessage>;

/**
 * The page is going away (hidden, closed): the worker sends the analytics events still queued on
 * the device, with the token the page lends (memory only), after the page can no longer.
 */
export const FlushAnalyticsMessage = z.strictObject({ type: z.literal('FLUSH_ANALYTICS'), userId: z.string(), accessToken: z.string() });
export type FlushAnalyticsMessage = z.infer<typeof FlushAnalyticsMessage>;

export const PageToWorkerMessage = z.discriminatedUnion('type', [SkipWaitingMessage, ReplayOutboxMessage, DiscardWritesMessage, FlushAnalyticsMessage]);
export type PageToWorkerMessage = z.infer<typeof PageToWorkerMessage>;

/** The BroadcastChannel the worker tells every open page about its mutation queue on. */
export const OUTBOX_CHANNEL = 'rally-outbox';
/** The header a page's mutation request names its writer in (a user id, not a credential). */
export const WRITER_HEADER = 'X-Rally-Writer';

export { MUTATION_QUEUE_NAME, outboxSyncTag } from './mutation-queue';
/** The worker's queue of sign-outs that could not reach the server (`sw/sign-outs.ts`). */
export const SIGN_OUT_QUEUE_NAME = 'rally-sign-outs';

export const OutboxStateMessage = z.strictObject({
  type: z.literal('OUTBOX_STATE'),
  /** Requests the worker holds for replay, by the user who made them. */
  queuedByUser: z.record(z.string(), z.number().int().min(0)),
  replaying: z.boolean(),
});

/**
 * What the worker tells pages: only how much it holds. Outcomes of the mutations it replays are
 * written into their user's device database (sw/settle-in-device.ts), where the page reads them.
 */
export const WorkerToPageMessage = OutboxStateMessage;
export type WorkerToPageMessage = z.infer<typeof WorkerToPageMessage>;
