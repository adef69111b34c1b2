import { useCallback, useLayoutEffect, useRef, useState, type Dispatch, type RefObject, type SetStateAction } from 'react';
import type { LocalMessage } from '../../../device-db/local-db';

/**
 * Where a conversation's list is scrolled: it follows its newest message (`newest`) as it grows,
 * and goes to the message a search hit named once that is in the list.
 *
 * Both scroll in the next frame, before it paints, not in the commit: reading the list's height
 * there made the page lay out inside the commit's task, which with a page of messages on a phone's
 * CPU made one long task of the two (77 ms at 4×, half of it layout). The follow's frame callback
 * is asked for first, so a search hit, scrolled to after it, is where the list stays.
 *
 * A reader scrolled up into the history is not moved by someone else's new message: the list says
 * there is something new below (`unseenBelow`) and `showNewest` takes them there. Their own
 * message always goes to the end. A list that sits on its newest message stays there when its box
 * changes size: the on-screen keyboard opening (the page resizes its content for it), a phone
 * turned, a window narrowed, all of which leave the same scroll offset with more content below it.
 * Another conversation opened in the same list starts on its newest message.
 */
export function useListScroll(
  listRef: RefObject<HTMLDivElement | null>,
  conversationId: string,
  newest: { id: string; mine: boolean } | undefined,
  focusMessageId: string | null,
  messages: readonly LocalMessage[],
): { unseenBelow: boolean; showNewest: () => void } {
  // Where the reader is, known from their last scroll: on the newest message or up in the history.
  const atEnd = useRef(true);
  const [unseenBelow, setUnseenBelow] = useState(false);
  const newestId = newest?.id;
  const mine = newest?.mine ?? false;
  // The chat screen stays mounted when another conversation opens in it: that one opens on its newest.
  useLayoutEffect(() => {
    atEnd.current = true;
    setUnseenBelow(false);
  }, [conversationId]);
  useLayoutEffect(() => {
    if (newestId === undefined) return;
    if (!atEnd.current && !mine) {
      setUnseenBelow(true);
      return;
    }
    const frame = requestAnimationFrame(() => {
      const list = listRef.current;
      if (list) list.scrollTop = list.scrollHeight;
    });
    return () => cancelAnimationFrame(frame);
  }, [listRef, newestId, mine]);
  useFocusedMessage(listRef, focusMessageId, messages);
  useStayOnNewest(listRef, atEnd, setUnseenBelow);
  const showNewest = useCallback(() => {
    const list = listRef.current;
    // Glides down, unless the reader asked for less motion.
    list?.scrollTo({ top: list.scrollHeight, behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'instant' : 'smooth' });
  }, [listRef]);
  return { unseenBelow, showNewest };
}

/** How close to the end counts as on the newest message: scroll offsets are fractional at some zooms. */
const AT_END_PX = 2;

/** Keeps `atEnd` up to date from the reader's scrolls, and a list on its end there as its box changes size. */
function useStayOnNewest(listRef: RefObject<HTMLDivElement | null>, atEnd: RefObject<boolean>, setUnseenBelow: Dispatch<SetStateAction<boolean>>) {
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    // The size the observer last reported; unknown until its first report (read then, not here,
    // so the commit does not lay the page out).
    let size: { width: number; height: number } | null = null;
    const resized = () => size !== null && (list.clientWidth !== size.width || list.clientHeight !== size.height);
    const onScroll = () => {
      // The browser's own scroll as the box changed size (it keeps the content in view steady)
      // comes before the observer's report, and says nothing of where the reader was.
      if (resized()) return;
      atEnd.current = list.scrollHeight - list.scrollTop - list.clientHeight <= AT_END_PX;
      if (atEnd.current) setUnseenBelow(false);
    };
    const observer = new ResizeObserver(() => {
      const changed = resized();
      size = { width: list.clientWidth, height: list.clientHeight };
      if (changed && atEnd.current) list.scrollTop = list.scrollHeight;
    });
    list.addEventListener('scroll', onScroll, { passive: true });
    observer.observe(list);
    return () => {
      list.removeEventListener('scroll', onScroll);
      observer.disconnect();
    };
  }, [listRef, atEnd, setUnseenBelow]);
}

/**
 * Scrolls to the message a search hit named, once it is in the list, and marks it for a moment
 * (`message-focused`). Search finds only what the device holds, and the list shows every message
 * the device holds for the conversation, so the message is there as soon as the list is read; it
 * also takes the focus, so a keyboard or screen reader user lands on it too.
 */
function useFocusedMessage(listRef: RefObject<HTMLDivElement | null>, messageId: string | null, messages: readonly LocalMessage[]) {
  const done = useRef<string | null>(null);
  const present = messageId !== null && messages.some((message) => message.id === messageId);
  useLayoutEffect(() => {
    if (!present || done.current === messageId) return;
    const item = listRef.current?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(messageId)}"]`);
    if (!item) return;
    done.current = messageId;
    requestAnimationFrame(() => item.scrollIntoView({ block: 'center' }));
    item.focus({ preventScroll: true });
    item.classList.add('message-focused');
    const timer = setTimeout(() => item.classList.remove('message-focused'), 2_000);
    return () => clearTimeout(timer);
  }, [listRef, messageId, present]);
}
