/**
 * Connection quality from `getStats()`, as a pure rule over two samples a few seconds apart:
 * round-trip time of the selected candidate pair, packet loss and inbound bitrate over the
 * interval. Three levels, because a person acts on three: fine, "you're breaking up", and
 * "switch off video or move".
 */

export type QualityLevel = 'good' | 'fair' | 'poor';

export interface StatsSample {
  at: number;
  /** Seconds; null before a pair is selected. */
  roundTripTime: number | null;
  packetsReceived: number;
  packetsLost: number;
  bytesReceived: number;
}

/** The figures of one stats report that the rule needs (a report is a map of typed entries). */
export function sampleOf(report: Iterable<Record<string, unknown>>, at: number): StatsSample {
  const sample: StatsSample = { at, roundTripTime: null, packetsReceived: 0, packetsLost: 0, bytesReceived: 0 };
  for (const entry of report) {
    if (entry.type === 'candidate-pair' && entry.nominated === true && entry.state === 'succeeded' && typeof entry.currentRoundTripTime === 'number') {
      sample.roundTripTime = entry.currentRoundTripTime;
    }
    if (entry.type === 'inbound-rtp') {
      sample.packetsReceived += numberOr0(entry.packetsReceived);
      sample.packetsLost += Math.max(0, numberOr0(entry.packetsLost));
      sample.bytesReceived += numberOr0(entry.bytesReceived);
    }
  }
  return sample;
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export interface Quality {
  level: QualityLevel;
  roundTripMs: number | null;
  lossPercent: number;
  kbps: number;
}

/** Audio alone runs at ~30 kbps; below this nothing is getting through. */
const STARVED_KBPS = 8;

export function qualityBetween(before: StatsSample, after: StatsSample): Quality {
  const seconds = Math.max(0.001, (after.at - before.at) / 1000);
  const received = Math.max(0, after.packetsReceived - before.packetsReceived);
  const lost = Math.max(0, after.packetsLost - before.packetsLost);
  const lossPercent = received + lost === 0 ? 0 : (lost / (received + lost)) * 100;
  const kbps = (Math.max(0, after.bytesReceived - before.bytesReceived) * 8) / 1000 / seconds;
  const roundTripMs = after.roundTripTime === null ? null : after.roundTripTime * 1000;
  const level: QualityLevel =
    kbps < STARVED_KBPS || lossPercent > 10 || (roundTripMs ?? 0) > 400 ? 'poor' : lossPercent > 3 || (roundTripMs ?? 0) > 200 ? 'fair' : 'good';
  return { level, roundTripMs, lossPercent, kbps };
}
