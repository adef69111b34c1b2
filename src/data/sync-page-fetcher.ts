import { z } from 'zod';
import { Change, PROTOCOL_VERSION, PROTOCOL_VERSION_HEADER, SyncResponse } from '../../protocol';
import { apiRequest } from '../net/api';
import type { FetchSyncPage } from './sync-engine';

/**
 * What the feed needs of this device's mutation sender, and tells it back. The composition root
 * wires the outbox in (src/app/local-data/), so src/data needs nothing of src/outbox.
 */
export interface MutationSenderProgress {
  /** This device's sender id for the user. */
  clientId(): Promise<string>;
  /** The highest of its mutations the server has settled, as the last page of a pull says. */
  noteServerProgress(lastMutationId: number): void;
}

/** Changes validated per task: a few milliseconds each on a slow phone (bench/sync's longest task). */
const PARSE_SLICE = 250;

const yieldToMain = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A sync page with its changes not yet read: 2,000 changes take a slow phone's main thread longer
 * than a frame to validate at once, so they are read in slices with the page free in between.
 */
const SyncResponseEnvelope = SyncResponse.extend({ changes: z.array(z.unknown()) });
const ChangeList = z.array(Change);

async function readChangesInSlices(raw: unknown[]): Promise<Change[]> {
  const changes: Change[] = [];
  for (let i = 0; i < raw.length; i += PARSE_SLICE) {
    if (i > 0) await yieldToMain();
    changes.push(...ChangeList.parse(raw.slice(i, i + PARSE_SLICE)));
  }
  return changes;
}

/**
 * Sync pages carry this device's mutation sender id, so the last page says how far the server got
 * with its mutations: the outbox settles what the worker replayed while no page was open.
 */
export function syncPageFetcher(sender: MutationSenderProgress): FetchSyncPage {
  return async (cursor, limit) => {
    const clientId = await sender.clientId();
    const query = new URLSearchParams({ limit: String(limit), clientId, ...(cursor ? { cursor } : {}) });
    // The header says this page reads protocol 5's entities (notifications, settings); without it
    // the server leaves them out, as it does for older pages.
    const envelope = await apiRequest(`/api/sync?${query}`, { schema: SyncResponseEnvelope, headers: { [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION) } });
    const page = { ...envelope, changes: await readChangesInSlices(envelope.changes) };
    if (!page.hasMore && page.lastMutationId !== undefined) sender.noteServerProgress(page.lastMutationId);
    return page;
  };
}
