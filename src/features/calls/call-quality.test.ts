import { describe, expect, it } from 'vitest';
import { qualityBetween, sampleOf, type StatsSample } from './call-quality';

const before: StatsSample = { at: 0, roundTripTime: 0.05, packetsReceived: 1_000, packetsLost: 0, bytesReceived: 100_000 };
/** Two seconds later: `received` packets, `lost` lost, `bytes` bytes, at `rtt` seconds. */
const after = (received: number, lost: number, bytes: number, rtt: number | null): StatsSample => ({
  at: 2_000,
  roundTripTime: rtt,
  packetsReceived: before.packetsReceived + received,
  packetsLost: lost,
  bytesReceived: before.bytesReceived + bytes,
});

describe('qualityBetween', () => {
  it.each([
    { name: 'a clean audio call', sample: after(100, 0, 10_000, 0.03), level: 'good' },
    { name: 'no pair selected yet, media flowing', sample: after(100, 0, 10_000, null), level: 'good' },
    { name: '5 % loss', sample: after(95, 5, 10_000, 0.03), level: 'fair' },
    { name: 'a 250 ms round trip', sample: after(100, 0, 10_000, 0.25), level: 'fair' },
    { name: '15 % loss', sample: after(85, 15, 10_000, 0.03), level: 'poor' },
    { name: 'a 500 ms round trip', sample: after(100, 0, 10_000, 0.5), level: 'poor' },
    { name: 'nothing arriving', sample: after(0, 0, 0, 0.03), level: 'poor' },
  ] as const)('$name → $level', ({ sample, level }) => {
    expect(qualityBetween(before, sample).level).toBe(level);
  });

  it('reports the figures it judged by', () => {
    expect(qualityBetween(before, after(95, 5, 10_000, 0.25))).toEqual({ level: 'fair', roundTripMs: 250, lossPercent: 5, kbps: 40 });
  });
});

describe('sampleOf', () => {
  it('takes the selected pair and sums every inbound stream', () => {
    const report = [
      { type: 'candidate-pair', nominated: false, state: 'failed', currentRoundTripTime: 9 },
      { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.02 },
      { type: 'inbound-rtp', kind: 'audio', packetsReceived: 50, packetsLost: 1, bytesReceived: 4_000 },
      { type: 'inbound-rtp', kind: 'video', packetsReceived: 200, packetsLost: -1, bytesReceived: 90_000 },
      { type: 'outbound-rtp', kind: 'audio', packetsSent: 70, bytesSent: 5_000 },
    ];
    expect(sampleOf(report, 123)).toEqual({ at: 123, roundTripTime: 0.02, packetsReceived: 250, packetsLost: 1, bytesReceived: 94_000 });
  });
});
