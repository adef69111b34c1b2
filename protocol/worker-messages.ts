import { z } from 'zod';

/**
 * Messages the page posts to the service worker. One discriminated union so the worker can parse
 * whatever arrives and ignore the rest; background sync and push will add their own members here.
 */
export const SkipWaitingMessage = z.strictObject({ type: z.literal('SKIP_WAITING') });
export type SkipWaitingMessage = z.infer<typeof SkipWaitingMessage>;

/** The network is back, or a Rally page just opened: replay the queued mutations now. */
export const ReplayOutboxMessage = z.strictObject({ type: z.literal('REPLAY_OUTBOX') });
export type ReplayOutboxMessage = z.infer<typeof ReplayOutboxMessage>;

export const PageToWorkerMessage = z.discriminatedUnion('type', [SkipWaitingMessage, ReplayOutboxMessage]);
export type PageToWorkerMessage = z.infer<typeof PageToWorkerMessage>;

/** The BroadcastChannel the worker tells every open page about its mutation queue on. */
export const OUTBOX_CHANNEL = 'rally-outbox';
/** The workbox-background-sync queue (its sync tag is `workbox-background-sync:<name>`). */
export const MUTATION_QUEUE_NAME = 'rally-mutations';
/** The worker's queue of sign-outs that could not reach the server (`sw/sign-outs.ts`). */
export const SIGN_OUT_QUEUE_NAME = 'rally-sign-outs';

export const OutboxStateMessage = z.strictObject({
  type: z.literal('OUTBOX_STATE'),
  /** Requests the worker holds for replay. */
  queued: z.number().int().min(0),
  replaying: z.boolean(),
});

/** The server (or the worker, giving up) settled one mutation. */
export const MutationSettledMessage = z.strictObject({
  type: z.literal('MUTATION_SETTLED'),
  clientId: z.string(),
  mutationId: z.number().int(),
  /** applied: 2xx; rejected: 4xx (roll back); failed: retries exhausted or expired (failed list). */
  outcome: z.enum(['applied', 'rejected', 'failed']),
  httpStatus: z.number().int(),
  body: z.unknown(),
});

export const WorkerToPageMessage = z.discriminatedUnion('type', [OutboxStateMessage, MutationSettledMessage]);
export type WorkerToPageMessage = z.infer<typeof WorkerToPageMessage>;
