/** Set once this device has asked; the browser remembers its answer, so asking again changes nothing. */
const ASKED_KEY = 'rally.storage-persist-asked';

/**
 * Asks the browser to keep Rally's storage under pressure (no eviction of the user's database and
 * unsent writes), once per device. Called only after a signed-in user's first full sync, when there
 * is data worth keeping: asking on load before sign-in would protect nothing and, in browsers that
 * prompt, ask a stranger.
 */
export async function requestPersistentStorageOnce(): Promise<void> {
  if (!navigator.storage?.persist || readAsked()) return;
  writeAsked();
  if (await navigator.storage.persisted()) return;
  await navigator.storage.persist();
}

function readAsked(): boolean {
  try {
    return localStorage.getItem(ASKED_KEY) !== null;
  } catch {
    // Storage blocked (private mode settings): treat as asked, so nothing loops on it.
    return true;
  }
}

function writeAsked(): void {
  try {
    localStorage.setItem(ASKED_KEY, new Date().toISOString());
  } catch {
    // Nowhere to remember it; the browser keeps its own answer anyway.
  }
}
