import { qualityBetween, sampleOf, type Quality, type StatsSample } from './call-quality';

const SAMPLE_EVERY_MS = 2_000;

/** Samples the connection's stats every two seconds and reports its quality; returns the stop. */
export function watchQuality(connection: () => RTCPeerConnection | null, report: (quality: Quality) => void): () => void {
  let previous: StatsSample | null = null;
  const timer = setInterval(() => {
    const pc = connection();
    if (!pc) return;
    void pc
      .getStats()
      .then((stats) => {
        const sample = sampleOf(stats.values() as Iterable<Record<string, unknown>>, performance.now());
        if (previous) report(qualityBetween(previous, sample));
        previous = sample;
      })
      .catch(() => undefined);
  }, SAMPLE_EVERY_MS);
  return () => clearInterval(timer);
}
