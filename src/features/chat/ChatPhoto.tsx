import { useEffect, useRef, useState } from 'react';
import type { MessagePhoto } from '../../../protocol/photos';
import { usePhotoFile } from '../../data/photo-files';
import { bubblePhotoSize } from './photo-resize';

/**
 * A message's photo: its preview (inside the message, so at once and offline) blurred up until the
 * file has loaded over it; a tap opens it full screen.
 */
export function ChatPhoto({ photo, label }: { photo: MessagePhoto; label: string }) {
  const file = usePhotoFile(photo.hash);
  const [loaded, setLoaded] = useState(false);
  const [open, setOpen] = useState(false);
  const size = bubblePhotoSize(photo);
  return (
    <>
      <button
        type="button"
        className="chat-photo"
        style={{ width: size.width, aspectRatio: `${size.width} / ${size.height}` }}
        aria-label={`Open ${label} full screen`}
        data-testid="chat-photo"
        data-loaded={loaded || undefined}
        onClick={() => setOpen(true)}
      >
        <img className="chat-photo-preview" src={photo.preview} alt="" aria-hidden="true" />
        {file.url && <img className={`chat-photo-full${loaded ? ' chat-photo-full-loaded' : ''}`} src={file.url} alt={label} onLoad={() => setLoaded(true)} />}
      </button>
      {open && <PhotoViewer url={file.url ?? photo.preview} label={label} onClose={() => setOpen(false)} />}
    </>
  );
}

/** Full screen, as a modal dialog: Escape, the close button or a tap on the photo closes it. */
function PhotoViewer({ url, label, onClose }: { url: string; label: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    dialog?.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} className="photo-viewer" aria-label={label} data-testid="photo-viewer" onClose={onClose} onClick={onClose}>
      <img src={url} alt={label} />
      <button type="button" className="photo-viewer-close" aria-label="Close the photo" onClick={onClose}>
        ✕
      </button>
    </dialog>
  );
}
