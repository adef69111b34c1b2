// What bench/fanout measures: when each message was sent, when each member received it, and
// from that the latency percentiles and what never arrived (or arrived twice).

/**
 * The wall clock with sub-millisecond resolution, comparable across processes on this machine
 * (unlike performance.now(), whose origin is per process).
 */
export const clock = (): number => performance.timeOrigin + performance.now();

/**
 * A message body carries its number and send time, padded to `length` characters, so receivers
 * on any process compute latency on one clock and both transports carry the same body.
 */
export function writeBody(n: number, sentAt: number, length: number): string {
  const head = `#${n} @${sentAt.toFixed(3)} `;
  return head.padEnd(length, 'fan-out bench ');
}

const BODY_HEAD = /^#(\d+) @(\d+\.\d+) /;

export function readBody(body: string): { n: number; sentAt: number } | undefined {
  const match = BODY_HEAD.exec(body);
  return match ? { n: Number(match[1]), sentAt: Number(match[2]) } : undefined;
}

export interface DeliverySummary {
  expected: number;
  delivered: number;
  lost: number;
  duplicated: number;
  /** Receive time minus send time, over every delivery, in ms. */
  p50: number;
  p99: number;
  max: number;
}

export interface DeliveryLog {
  /** A member received a body (anything that is not one of this log's messages is ignored). */
  record(member: number, body: string): void;
  /**
   * Resolves once `messages` of the messages have reached every member (all of them unless
   * given): true. Or false when nothing has arrived for `quietMs` (what is missing is lost).
   */
  settled(quietMs: number, messages?: number): Promise<boolean>;
  /** When the latest delivery so far arrived (clock()). */
  lastDeliveredAt(): number;
  summarize(): DeliverySummary;
}

/** Deliveries of `messages` messages numbered from `firstMessage` to a room of `members`. */
export function createDeliveryLog(members: number, messages: number, firstMessage: number): DeliveryLog {
  const expected = members * messages;
  // One slot per (message, member): NaN until it arrives, so a second arrival is seen as such.
  const latencies = new Float64Array(expected).fill(Number.NaN);
  const deliveredPerMessage = new Uint32Array(messages);
  let delivered = 0;
  let completeMessages = 0;
  let duplicated = 0;
  let lastDeliveredAt = Number.NEGATIVE_INFINITY;
  let lastActivityAt = clock();
  let waiter: { messages: number; resolve: (reached: boolean) => void } | undefined;

  return {
    record(member, body) {
      const receivedAt = clock();
      const message = readBody(body);
      if (!message) return;
      const offset = message.n - firstMessage;
      if (offset < 0 || offset >= messages || member < 0 || member >= members) return;
      const slot = offset * members + member;
      lastActivityAt = receivedAt;
      if (!Number.isNaN(latencies[slot]!)) {
        duplicated++;
        return;
      }
      latencies[slot] = receivedAt - message.sentAt;
      delivered++;
      lastDeliveredAt = receivedAt;
      if (++deliveredPerMessage[offset]! === members) {
        completeMessages++;
        if (waiter && completeMessages >= waiter.messages) waiter.resolve(true);
      }
    },

    settled(quietMs, wanted = messages) {
      if (completeMessages >= wanted) return Promise.resolve(true);
      lastActivityAt = Math.max(lastActivityAt, clock());
      return new Promise((resolve) => {
        const watchdog = setInterval(() => {
          if (clock() - lastActivityAt >= quietMs) finish(false);
        }, Math.min(quietMs, 250));
        const finish = (reached: boolean) => {
          clearInterval(watchdog);
          waiter = undefined;
          resolve(reached);
        };
        waiter = { messages: wanted, resolve: finish };
      });
    },

    lastDeliveredAt: () => lastDeliveredAt,

    summarize() {
      const received = latencies.filter((value) => !Number.isNaN(value)).sort();
      const at = (q: number) => (received.length ? received[Math.min(received.length - 1, Math.ceil(q * received.length) - 1)]! : Number.NaN);
      return {
        expected,
        delivered,
        lost: expected - delivered,
        duplicated,
        p50: at(0.5),
        p99: at(0.99),
        max: at(1),
      };
    },
  };
}
