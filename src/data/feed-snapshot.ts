import type { ActivityView } from '../../protocol';
import { BUILD_LABEL } from '../build-label';
import { readLastUser } from '../net/last-user';
import { isFirstScreenShown } from './first-screen';

/**
 * The feed's first screenful as it last showed, kept per user in localStorage, so that a start
 * from the home screen paints the person's feed in React's first render. Read from IndexedDB, the
 * first card waited for Dexie's set-up, the database's open and the feed's first read, each
 * queued behind the bundle's evaluation and React's first render on the main thread: 780 ms to
 * the first card in bench/startup, 500 with this copy, on the same machine.
 *
 * It is the database's copy, not a second truth: it is shown only while the page's first screen
 * has not read its own data (src/data/first-screen.ts), and the feed's own read replaces it. It
 * goes with the user's database at sign-out (LocalDataProvider), is written only for the user
 * this device remembers as signed in, so a shared phone shows nobody else's feed, and one written
 * by another build of Rally is ignored (its rows may be shaped otherwise).
 */

const KEY_PREFIX = 'rally:feedFirstScreen:';
/** After the last change: a sync storing pages changes the feed many times a second. */
const SAVE_DELAY_MS = 1_000;

interface Snapshot {
  build: string;
  items: ActivityView[];
}

const keyOf = (userId: string) => `${KEY_PREFIX}${userId}`;

let readAtStart: { userId: string; items: ActivityView[] | null } | undefined;

/** The feed as it last showed for `userId`, while the page's first screen has not read its own data. */
export function feedAtStart(userId: string): ActivityView[] | undefined {
  if (isFirstScreenShown()) return undefined;
  if (readAtStart?.userId !== userId) readAtStart = { userId, items: read(userId) };
  return readAtStart.items ?? undefined;
}

let unsaved: { userId: string; items: ActivityView[] } | null = null;
let saveTimer: ReturnType<typeof setTimeout> | undefined;
let lastSaved = '';

/** What the feed shows now, to show at the next start; saved once it has stopped changing. */
export function rememberFeed(userId: string, items: ActivityView[]): void {
  unsaved = { userId, items };
  clearTimeout(saveTimer);
  saveTimer = setTimeout(save, SAVE_DELAY_MS);
}

// Sent to the background or closed before the delay ran out: saved now, as the next start may be the app's next moment.
addEventListener('pagehide', save);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') save();
});

function save(): void {
  clearTimeout(saveTimer);
  if (!unsaved) return;
  const { userId, items } = unsaved;
  unsaved = null;
  // Signed out meanwhile, here or in another tab (which cleared the remembered user): not theirs to keep.
  if (readLastUser()?.id !== userId) return;
  const text = JSON.stringify({ build: BUILD_LABEL, items } satisfies Snapshot);
  if (text === lastSaved) return;
  try {
    localStorage.setItem(keyOf(userId), text);
    lastSaved = text;
  } catch {
    // Storage full or disabled: the next start waits for the database, as it always could.
  }
}

/** The user's copy goes, with any save of it still waiting: at sign-out, with their database. */
export function forgetFeed(userId: string): void {
  if (unsaved?.userId === userId) {
    unsaved = null;
    clearTimeout(saveTimer);
  }
  if (readAtStart?.userId === userId) readAtStart = undefined;
  lastSaved = '';
  try {
    localStorage.removeItem(keyOf(userId));
  } catch {
    // Nothing to remove when storage is unavailable.
  }
}

function read(userId: string): ActivityView[] | null {
  try {
    const value = JSON.parse(localStorage.getItem(keyOf(userId)) ?? 'null') as Partial<Snapshot> | null;
    if (value?.build !== BUILD_LABEL || !Array.isArray(value.items) || value.items.length === 0) return null;
    return value.items;
  } catch {
    return null;
  }
}
