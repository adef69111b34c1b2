import type { LocalReceipt, RallyLocalDb } from '../../device-db/local-db';
import { emitWithAck } from '../net/emit-with-ack';

const RECEIPT_BATCH = 100;
const READ_DELAY_MS = 300;
const DELIVERED_DELAY_MS = 1_500;

/**
 * The signed-in user's delivered and read watermarks. They move on the device first (reading works
 * offline), marked `unsent`, and go to the server over the socket whenever it is connected; what
 * could not go is sent on the next connect. The server only ever moves them forward.
 */
export class ReceiptReporter {
  private flushing: Promise<void> | null = null;
  private flushAgain = false;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private flushDue = 0;

  constructor(
    private readonly db: RallyLocalDb,
    private readonly me: string,
  ) {}

  /** Every message of the conversation up to `seq` is on this device; `read` also says the user saw them. */
  async advance(conversationId: string, seq: number, read: boolean): Promise<void> {
    await this.advanceAll([{ conversationId, seq }], read);
  }

  /** Moves the watermarks of several conversations (each named once) in one transaction. */
  private async advanceAll(arrivals: readonly { conversationId: string; seq: number }[], read: boolean): Promise<void> {
    const wanted = arrivals.filter((arrival) => arrival.seq > 0);
    if (wanted.length === 0) return;
    const changed = await this.db.transaction('rw', this.db.receipts, async () => {
      const stored = await this.db.receipts.bulkGet(wanted.map(({ conversationId }): [string, string] => [conversationId, this.me]));
      const moved: LocalReceipt[] = [];
      wanted.forEach(({ conversationId, seq }, i) => {
        const current = stored[i] ?? { conversationId, userId: this.me, deliveredSeq: 0, readSeq: 0, version: 0 };
        const next = { ...current, deliveredSeq: Math.max(current.deliveredSeq, seq), readSeq: read ? Math.max(current.readSeq, seq) : current.readSeq };
        if (next.deliveredSeq !== current.deliveredSeq || next.readSeq !== current.readSeq) moved.push({ ...next, unsent: 1 });
      });
      await this.db.receipts.bulkPut(moved);
      return moved.length > 0;
    });
    if (changed) this.flushSoon(read ? READ_DELAY_MS : DELIVERED_DELAY_MS);
  }

  /**
   * Watermarks wait a moment before going out: a burst of messages in a busy room then costs one
   * report per member, not one per message (each report is a write and a broadcast to the room).
   * A read waits less than a delivery: the sender is more likely watching for it.
   */
  private flushSoon(delayMs: number): void {
    const due = Date.now() + delayMs;
    if (this.flushTimer !== undefined && this.flushDue <= due) return;
    clearTimeout(this.flushTimer);
    this.flushDue = due;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, delayMs);
  }

  /**
   * Marks delivered whatever others sent that this device holds beyond its watermark (after a pull
   * or an event). Conversations: all when omitted. One read transaction and one write for all of
   * them: a transaction per conversation queues behind every live query, and after a first sync
   * of 200 conversations the watermarks trickled out for half a minute.
   */
  async noteArrivals(conversationIds?: readonly string[]): Promise<void> {
    const arrivals = await this.db.transaction('r', [this.db.conversations, this.db.messages], async () => {
      const ids = conversationIds ?? (await this.db.conversations.toCollection().primaryKeys());
      const newest = await Promise.all(
        ids.map((id) => this.db.messages.where('[conversationId+seq]').between([id, 1], [id, Number.MAX_SAFE_INTEGER], true, true).last()),
      );
      return newest.flatMap((message) => (message && message.senderId !== this.me ? [{ conversationId: message.conversationId, seq: message.seq }] : []));
    });
    await this.advanceAll(arrivals, false);
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

  /** Every unsent watermark, a hundred conversations to an event. */
  private async sendUnsent(): Promise<void> {
    const unsent = await this.db.receipts.filter((row) => row.userId === this.me && row.unsent === 1).toArray();
    for (let start = 0; start < unsent.length; start += RECEIPT_BATCH) {
      const batch = unsent.slice(start, start + RECEIPT_BATCH);
      const result = await emitWithAck('receipt:update', {
        updates: batch.map((row) => ({ conversationId: row.conversationId, deliveredSeq: row.deliveredSeq, readSeq: row.readSeq })),
      });
      if (!result?.ok) return;
      await this.db.transaction('rw', this.db.receipts, async () => {
        for (const answer of result.data) {
          const current = await this.db.receipts.get([answer.conversationId, this.me]);
          if (!current) continue;
          // Refused (the user left that conversation): nothing to send any more.
          const acknowledged = 'error' in answer ? { deliveredSeq: current.deliveredSeq, readSeq: current.readSeq } : answer;
          // Moved again while this one was on its way: it stays unsent for the next round.
          if (current.deliveredSeq > acknowledged.deliveredSeq || current.readSeq > acknowledged.readSeq) continue;
          const { unsent: _unsent, ...sent } = current;
          await this.db.receipts.put({ ...sent, deliveredSeq: acknowledged.deliveredSeq, readSeq: acknowledged.readSeq });
        }
      });
    }
  }
}
