// Bundled by bench/search into one script for the page (esbuild, see search.bench.ts): the app's
// own search code and database class, so the bench times exactly what the search screen runs,
// on the database the app itself filled.
import Dexie from 'dexie';
import { localDbName, RallyLocalDb } from '../../device-db/local-db';
import { searchMessages } from '../../device-db/message-search';
import { parseSearchQuery, searchTermsOf } from '../../device-db/search-terms';

export const searchBench = { Dexie, RallyLocalDb, localDbName, searchMessages, parseSearchQuery, searchTermsOf };
export type SearchBenchHooks = typeof searchBench;
(globalThis as unknown as { searchBench: SearchBenchHooks }).searchBench = searchBench;
