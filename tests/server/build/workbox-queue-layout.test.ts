import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKBOX_QUEUE_DB } from '../../../sw/workbox-queue-layout';

// sw/queue-head.ts reads Workbox's background-sync database itself; these are the names it relies
// on, read from the installed Workbox, so an upgrade that moves them fails here.
describe('the Workbox queue layout queue-head.ts reads', () => {
  const require = createRequire(import.meta.url);
  const workboxDir = path.dirname(require.resolve('workbox-background-sync/package.json'));
  const queueDb = readFileSync(path.join(workboxDir, 'lib/QueueDb.js'), 'utf8');
  const storable = readFileSync(path.join(workboxDir, 'lib/StorableRequest.js'), 'utf8');

  it('names the same database, version, store and index', () => {
    expect(queueDb).toContain(`const DB_NAME = '${WORKBOX_QUEUE_DB.name}';`);
    expect(queueDb).toContain(`const DB_VERSION = ${WORKBOX_QUEUE_DB.version};`);
    expect(queueDb).toContain(`const REQUEST_OBJECT_STORE_NAME = '${WORKBOX_QUEUE_DB.store}';`);
    expect(queueDb).toContain(`const QUEUE_NAME_INDEX = '${WORKBOX_QUEUE_DB.index}';`);
    expect(queueDb).toMatch(/autoIncrement: true,\s*keyPath: 'id'/);
  });

  it('stores a request as url, headers as an object and the body as an ArrayBuffer', () => {
    expect(storable).toContain('url: request.url');
    expect(storable).toContain('requestData.headers[key] = value');
    expect(storable).toContain('requestData.body = await request.clone().arrayBuffer()');
  });
});
