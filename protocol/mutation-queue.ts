/**
 * The worker's mutation queues, by name (zod-free: the page's first load imports it).
 * workbox-background-sync keeps one queue per user, `rally-mutations:<userId>`, and names its
 * sync tag `workbox-background-sync:<queue>`.
 */
export const MUTATION_QUEUE_NAME = 'rally-mutations';

/**
 * The background-sync tag of a user's queue in the worker. A page registers it too as it goes, so
 * a write it never handed over is sent when the network returns (sw/device-outbox.ts).
 */
export const outboxSyncTag = (userId: string) => `workbox-background-sync:${MUTATION_QUEUE_NAME}:${userId}`;
