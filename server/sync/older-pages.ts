import type { Change } from '../../protocol';

/** The protocol version that added call lines to chat (`kind: 'call'`). */
export const CALL_MESSAGES_SINCE_PROTOCOL = 6;

/**
 * The changes as a page of `protocolVersion` can parse them. A page from before calls knows no
 * `call` message kind and would refuse the whole page of changes over one line; it gets the line
 * as plain text ("Missed voice call"), which is what it says anyway.
 */
export function changesReadableBy(changes: Change[], protocolVersion: number | undefined): Change[] {
  if (protocolVersion === undefined || protocolVersion >= CALL_MESSAGES_SINCE_PROTOCOL) return changes;
  return changes.map((change) =>
    change.entity === 'message' && change.op === 'upsert' && change.data.kind === 'call' ? { ...change, data: { ...change.data, kind: 'text' } } : change,
  );
}
