import { useLiveQuery } from './live-query';
import { useEffect, useRef, useState } from 'react';
import { PHOTO_CACHE, photoUrlFor } from '../../device-db/photo-cache';
import { currentAccessToken, session } from '../net/auth-client';
import { useLocalSession } from './local-session';

export type PhotoFile = { state: 'loading' | 'unavailable'; url: null } | { state: 'ready'; url: string };

/**
 * A photo's full file for the screen, as an object URL: this device's own copy while its message
 * waits to be sent, else the server's through the worker's cache (sw/photo-cache.ts), so a photo
 * seen once shows offline. Read with `fetch` and the session's token, which an <img> could not
 * send. Tried again when a token comes (a cold start refreshes it in the background) or the
 * network returns. The device's own copy also goes into the worker's cache under the same address
 * (the bytes are the photo's, whatever server answers later), so the sender's photo shows offline
 * after it is sent and its copy is gone from the outbox.
 */
export function usePhotoFile(hash: string): PhotoFile {
  const local = useLocalSession();
  // undefined while being read; null: not on this device (anyone else's photo, or ours once sent).
  const pending = useLiveQuery(async () => (local ? ((await local.db.pendingPhotos.get(hash)) ?? null) : undefined), [local, hash]);
  const [file, setFile] = useState<PhotoFile>({ state: 'loading', url: null });
  const [attempt, setAttempt] = useState(0);
  const shown = useRef<string | null>(null);
  const viewerId = local?.userId;

  useEffect(() => {
    if (pending === undefined || viewerId === undefined) return;
    let current = true;
    const show = (blob: Blob) => {
      if (!current) return;
      const previous = shown.current;
      shown.current = URL.createObjectURL(blob);
      setFile({ state: 'ready', url: shown.current });
      if (previous) URL.revokeObjectURL(previous);
    };
    const url = photoUrlFor(hash, viewerId);
    if (pending) {
      show(pending.blob);
      if (typeof caches !== 'undefined') {
        void caches
          .open(PHOTO_CACHE)
          .then((cache) => cache.put(url, new Response(pending.blob, { headers: { 'Content-Type': pending.type } })))
          .catch(() => undefined);
      }
    } else {
      const token = currentAccessToken();
      void fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
        .then(async (response) => {
          if (!response.ok) throw new Error(String(response.status));
          show(await response.blob());
        })
        // What shows already (our own copy, just sent) stays; else the preview does.
        .catch(() => current && shown.current === null && setFile({ state: 'unavailable', url: null }));
    }
    return () => {
      current = false;
    };
  }, [pending, hash, viewerId, attempt]);

  useEffect(
    () => () => {
      if (shown.current) URL.revokeObjectURL(shown.current);
    },
    [],
  );

  // Not there yet (offline and never seen, or no token at a cold start): again when a token comes or the network returns.
  useEffect(() => {
    if (file.state !== 'unavailable') return;
    const again = () => setAttempt((n) => n + 1);
    const unsubscribe = session.subscribe(again);
    window.addEventListener('online', again);
    return () => {
      unsubscribe();
      window.removeEventListener('online', again);
    };
  }, [file.state]);
  return file;
}
