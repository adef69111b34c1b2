import type { RallyLocalDb } from './local-db';
import { openedSocket } from '../net/socket';

/**
 * The signed-in user's delivered and read watermarks. They move on the device first (reading works
 * offline), marked `unsent`, and go to the server over the socket whenever it is connected; what
 * could not go is sent on the next connect. The server only ever moves them forward.
 */
export class ReceiptReporter {
  private flushing: Promise<void> | null = null;
  private flushAgain = false;

  constructor(
    private readonly db: RallyLocalDb,
    private readonly me: string,
  ) {}

  /** Every message of the conversation up to `seq` is on this device; `read` also says the user saw them. */
  async advance(conversationId: string, seq: number, read: boolean): Promise<void> {
    if (seq <= 0) return;
    const changed = await this.db.transaction('rw', this.db.receipts, async () => {
      const key: [string, string] = [conversationId, this.me];
      const current = (await this.db.receipts.get(key)) ?? { conversationId, userId: this.me, deliveredSeq: 0, readSeq: 0, version: 0 };
      const next = { ...current, deliveredSeq: Math.max(current.deliveredSeq, seq), readSeq: read ? Math.max(current.readSeq, seq) : current.readSeq };
      if (next.deliveredSeq === current.deliveredSeq && next.readSeq === current.readSeq) return false;
      await this.db.receipts.put({ ...next, unsent: 1 });
      return true;
    });
    if (changed) this.flush();
  }

  /**
   * Marks delivered whatever others sent that this device holds beyond its watermark (after a pull
   * or an event). Conversations: all when omitted.
   */
  async noteArrivals(conversationIds?: readonly string[]): Promise<void> {
    const ids = conversationIds ?? (await this.db.conversations.toCollection().primaryKeys());
    for (const conversationId of ids) {
      const newest = await this.db.messages
        .where('[conversationId+seq]')
        .between([conversationId, 1], [conversationId, Number.MAX_SAFE_INTEGER], true, true)
        .last();
      if (newest && newest.senderId !== this.me) await this.advance(conversationId, newest.seq, false);
    }
  }

  /** Sends every unsent watermark; single-flight. */
  flush(): void {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = (async () => {
      do {
        this.flushAgain = false;
        await this.sendUnsent();
      } while (this.flushAgain);
    })()
      .catch(() => undefined)
      .finally(() => {
        this.flushing = null;
      });
  }

  private async sendUnsent(): Promise<void> {
    const unsent = await this.db.receipts.filter((row) => row.userId === this.me && row.unsent === 1).toArray();
    for (const row of unsent) {
      const socket = openedSocket();
      if (!socket?.connected) return;
      const result = await socket
        .timeout(5_000)
        .emitWithAck('receipt:update', { conversationId: row.conversationId, deliveredSeq: row.deliveredSeq, readSeq: row.readSeq })
        .catch(() => null);
      if (!result) return;
      if (!result.ok && result.error.code !== 'not_found' && result.error.code !== 'invalid_input') return;
      await this.db.transaction('rw', this.db.receipts, async () => {
        const current = await this.db.receipts.get([row.conversationId, this.me]);
        if (!current) return;
        const acknowledged = result.ok ? result.data : { deliveredSeq: current.deliveredSeq, readSeq: current.readSeq };
        // Moved again while this one was on its way: it stays unsent for the next round.
        if (current.deliveredSeq > acknowledged.deliveredSeq || current.readSeq > acknowledged.readSeq) return;
        const { unsent: _unsent, ...sent } = current;
        await this.db.receipts.put({ ...sent, deliveredSeq: acknowledged.deliveredSeq, readSeq: acknowledged.readSeq });
      });
    }
  }
}
