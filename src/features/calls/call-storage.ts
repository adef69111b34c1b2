import { z } from 'zod';
import { CallKind, Id } from '../../../protocol';
import { CALL_STORAGE_KEY } from './call-entry';

/**
 * The call this tab carries, in session storage: a reload keeps it (the tab is the same), a new
 * tab does not (it never carried the call). The server holds the call for the reloading side.
 */
const StoredCall = z.object({
  callId: Id,
  conversationId: Id,
  kind: CallKind,
  role: z.enum(['caller', 'callee']),
  peer: z.object({ userId: Id, displayName: z.string() }),
});
export type StoredCall = z.infer<typeof StoredCall>;

const KEY = CALL_STORAGE_KEY;

export function rememberCall(call: StoredCall): void {
  sessionStorage.setItem(KEY, JSON.stringify(call));
}

export function forgetCall(): void {
  sessionStorage.removeItem(KEY);
}

export function rememberedCall(): StoredCall | null {
  try {
    const parsed = StoredCall.safeParse(JSON.parse(sessionStorage.getItem(KEY) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
