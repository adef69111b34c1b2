/**
 * Where Workbox 7 keeps background-sync queues (its `QueueDb`), read directly by queue-head.ts.
 * A file of its own, free of browser types, so a Node test can hold it against the installed
 * Workbox (tests/server/build/workbox-queue-layout.test.ts).
 */
export const WORKBOX_QUEUE_DB = { name: 'workbox-background-sync', version: 3, store: 'requests', index: 'queueName' } as const;
