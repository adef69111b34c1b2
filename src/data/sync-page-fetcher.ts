import { PROTOCOL_VERSION, PROTOCOL_VERSION_HEADER, SyncResponse } from '../../protocol';
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
    const page = await apiRequest(`/api/sync?${query}`, { schema: SyncResponse, headers: { [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION) } });
    if (!page.hasMore && page.lastMutationId !== undefined) sender.noteServerProgress(page.lastMutationId);
    return page;
  };
}
