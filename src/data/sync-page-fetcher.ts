import { z } from 'zod';
import { Change, PROTOCOL_VERSION, PROTOCOL_VERSION_HEADER, SyncResponse } from '../../protocol';
import { authorizedFetch, type AccessTokens } from '../net/authorized-fetch';
import { nextTask } from './next-task';
import type { FetchSyncPage } from './pull-feed';

/** Changes validated per task: a few milliseconds each on a slow phone (bench/sync's longest task). */
const PARSE_SLICE = 250;

/**
 * A sync page with its changes not yet read: 2,000 changes take a slow phone's main thread longer
 * than a frame to validate at once, so they are read in slices with the thread free in between.
 */
const SyncResponseEnvelope = SyncResponse.extend({ changes: z.array(z.unknown()) });
const ChangeList = z.array(Change);

async function readChangesInSlices(raw: unknown[]): Promise<Change[]> {
  const changes: Change[] = [];
  for (let i = 0; i < raw.length; i += PARSE_SLICE) {
    if (i > 0) await nextTask();
    changes.push(...ChangeList.parse(raw.slice(i, i + PARSE_SLICE)));
  }
  return changes;
}

/**
 * Reads the feed's pages for a pull with the given tokens: the page's session, or those the page
 * handed the sync worker (the page's own outbox settles its own writes: device-db/outbox-settle.ts).
 */
export function syncPageFetcher(tokens: AccessTokens): FetchSyncPage {
  return async (cursor, limit) => {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
    // The header says this page reads protocol 5's entities (notifications, settings); without it
    // the server leaves them out, as it does for older pages.
    const response = await authorizedFetch(`/api/sync?${query}`, { headers: { [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION) } }, tokens);
    const envelope = SyncResponseEnvelope.parse(await response.json());
    return { ...envelope, changes: await readChangesInSlices(envelope.changes) };
  };
}
