import { DELETED_MESSAGE_TEXT, textOfMessage, type Change } from '../../protocol';
import { MESSAGE_CHANGES_SINCE_PROTOCOL } from './user-kinds';

/** The protocol version that added call lines to chat (`kind: 'call'`). */
export const CALL_MESSAGES_SINCE_PROTOCOL = 6;

/**
 * The changes as a page of `protocolVersion` can parse them. A page from before calls knows no
 * `call` message kind and would refuse the whole page of changes over one line; it gets the line
 * as plain text ("Missed voice call"), which is what it says anyway. A page from before protocol 7
 * drops the fields it does not know (edited, reactions, quote, photo) and gets a deleted message's
 * tombstone as its text, and a co-host as a plain member (it knows no other role).
 */
export function changesReadableBy(changes: Change[], protocolVersion: number | undefined): Change[] {
  if (protocolVersion === undefined || protocolVersion >= MESSAGE_CHANGES_SINCE_PROTOCOL) return changes;
  return changes.map((change) => {
    if (change.entity === 'member' && change.op === 'upsert' && change.data.role === 'cohost') return { ...change, data: { ...change.data, role: 'member' } };
    if (change.entity !== 'message' || change.op !== 'upsert') return change;
    let data = change.data;
    // A page from before deletes shows only the text: it says what happened.
    if (data.deletedAt !== undefined) data = { ...data, body: DELETED_MESSAGE_TEXT };
    // Nor does it know photos: it gets their caption, or "📷 Photo", as text.
    else if (data.photo !== undefined) data = { ...data, body: textOfMessage(data) };
    if (data.kind === 'call' && protocolVersion < CALL_MESSAGES_SINCE_PROTOCOL) data = { ...data, kind: 'text' };
    return data === change.data ? change : { ...change, data };
  });
}
