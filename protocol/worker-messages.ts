import { z } from 'zod';

/**
 * Messages the page posts to the service worker. One discriminated union so the worker can parse
 * whatever arrives and ignore the rest; background sync and push will add their own members here.
 */
export const SkipWaitingMessage = z.strictObject({ type: z.literal('SKIP_WAITING') });
export type SkipWaitingMessage = z.infer<typeof SkipWaitingMessage>;

export const PageToWorkerMessage = z.discriminatedUnion('type', [SkipWaitingMessage]);
export type PageToWorkerMessage = z.infer<typeof PageToWorkerMessage>;
