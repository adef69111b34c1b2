import { newRowId } from '../../protocol';

/**
 * An init script that gives bench code evaluated in a page the app's id maker, `newRowId`
 * (protocol/ids.ts), so the rows it writes get ids as the app's own rows do. Ids of another kind
 * land on other index pages and cost the server another amount: a floor and what it is compared
 * with must both use these.
 */
export const pageRowIdScript = { content: `globalThis.newRowId = ${newRowId.toString()};` };

/** The page's global object once `pageRowIdScript` has run. */
export interface WithRowIds {
  newRowId(): string;
}
