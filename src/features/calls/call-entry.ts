import type { CallKind } from '../../../protocol';
import { ANSWER_CALL_PARAM } from '../../../protocol/push-rules';
import { ObservableValue } from '../../net/observable-value';
import { openedSocket, type RallySocket } from '../../net/socket-state';
import type { CallPeer } from './call-machine';
// Types only: erased from the build, so the session's code stays in its own chunk.
import type * as CallSessionModule from './call-session';

/**
 * The only call code in the first page load: a flag saying whether a call is on, and the door to
 * the call chunk (the session, its media and the screen), fetched when a call starts, rings or
 * must be taken back after a reload.
 */
export const callOpen = new ObservableValue<boolean>(false);

/** Where call-storage.ts keeps the call this tab carries (read here without loading the chunk). */
export const CALL_STORAGE_KEY = 'rally:call';

let loading: Promise<typeof CallSessionModule> | null = null;
let loaded: typeof CallSessionModule | null = null;

export function loadCallSession(): Promise<typeof CallSessionModule> {
  loading ??= import('./call-session');
  return loading.then((module) => {
    loaded = module;
    const socket = openedSocket();
    if (socket) module.callSession.attach(socket);
    return module;
  });
}

/** A new socket (sign-in, or the parts that open it loading after the call code): the session follows it. */
export function followSocketIfLoaded(socket: RallySocket): void {
  loaded?.callSession.attach(socket);
}

export function startCall(conversationId: string, kind: CallKind, peer: CallPeer): void {
  void loadCallSession().then(({ callSession }) => callSession.dial(conversationId, kind, peer));
}

export function hasRememberedCall(): boolean {
  try {
    return sessionStorage.getItem(CALL_STORAGE_KEY) !== null;
  } catch {
    return false;
  }
}

/**
 * The call this page was opened to answer ("Accept" on a call's notification opens the chat with
 * `?answer=<call id>`): the session answers it when it rings here. Read once and taken out of the
 * address, so a reload or a shared link answers nothing.
 */
let answerOnArrival: string | null = null;

export function takeAnswerFromAddress(): void {
  const url = new URL(window.location.href);
  const callId = url.searchParams.get(ANSWER_CALL_PARAM);
  if (!callId) return;
  answerOnArrival = callId;
  url.searchParams.delete(ANSWER_CALL_PARAM);
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
}

/** Whether this ringing call is the one the person already accepted on the notification (asked once). */
export function isAcceptedOnArrival(callId: string): boolean {
  if (answerOnArrival !== callId) return false;
  answerOnArrival = null;
  return true;
}
