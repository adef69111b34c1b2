// bench/call: how quickly a call comes together on loopback. Two browser contexts (fake camera and
// microphone, loopback-only candidates) call each other 20 times after one warm-up call. Per call:
// from the caller's press to the callee's screen ringing (invite → ringing), and from the callee's
// press of Accept to the first media packet arriving on both sides (inbound RTP in getStats,
// polled from the bench every few milliseconds). Wall-clock times of two tabs of one
// browser on one machine, so they compare.
import type { Browser, Page } from '@playwright/test';
import { runBrowserBench } from './lib/bench-server';
import { openChatSignedIn, twoUsersInADirectChat, type BenchUser } from './lib/bench-users';
import { percentile, reportResults } from './lib/results';

const CALLS = 20;
const CALL_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection'];

/** In every page: when the call screen first says "Incoming", and every peer connection made. */
const recordCallMoments = () => {
  const moments = { ringAt: 0 };
  (window as unknown as { callMoments: typeof moments }).callMoments = moments;
  new MutationObserver(() => {
    if (!moments.ringAt && document.querySelector('[data-testid="call-status"]')?.textContent?.startsWith('Incoming')) moments.ringAt = Date.now();
  }).observe(document, { childList: true, subtree: true, characterData: true });
  const Native = window.RTCPeerConnection;
  const made: RTCPeerConnection[] = [];
  (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections = made;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      made.push(this);
    }
  };
};

async function device(browser: Browser, url: string, user: BenchUser, conversationId: string): Promise<Page> {
  const context = await browser.newContext({ permissions: ['microphone', 'camera'] });
  await context.addInitScript(recordCallMoments);
  const page = await context.newPage();
  await openChatSignedIn(page, url, user, conversationId);
  return page;
}

const resetMoments = (page: Page) => page.evaluate(() => Object.assign((window as unknown as { callMoments: object }).callMoments, { ringAt: 0 }));
const moments = (page: Page) => page.evaluate(() => (window as unknown as { callMoments: { ringAt: number } }).callMoments);
// Polled on a timer, not on animation frames: a tab in the background gets none.
/** Presses the button from inside the page and returns the wall-clock moment of the press. */
const pressAt = (page: Page, selector: string) =>
  page.evaluate((s) => {
    const at = Date.now();
    document.querySelector<HTMLButtonElement>(s)!.click();
    return at;
  }, selector);

/**
 * When the page's newest peer connection first counts an inbound RTP packet, polled from here
 * (every few ms, a round trip each): timers inside a tab in the background run far less often.
 */
async function firstInboundPacket(page: Page): Promise<number> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const arrived = await page.evaluate(async () => {
      const pc = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections.at(-1);
      if (!pc || pc.connectionState === 'closed') return false;
      return [...(await pc.getStats()).values()].some((entry: Record<string, unknown>) => entry.type === 'inbound-rtp' && Number(entry.packetsReceived ?? 0) > 0);
    });
    if (arrived) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('no inbound media within 15 s');
}

async function oneCall(caller: Page, callee: Page): Promise<{ inviteToRing: number; acceptToMedia: number }> {
  await Promise.all([resetMoments(caller), resetMoments(callee)]);
  const invitedAt = await pressAt(caller, 'button[aria-label^="Voice call"]');
  await callee.waitForFunction(() => (window as unknown as { callMoments: { ringAt: number } }).callMoments.ringAt > 0, undefined, { timeout: 15_000, polling: 20 });
  const acceptedAt = await pressAt(callee, '.call-accept');
  const [callerMedia, calleeMedia] = await Promise.all([firstInboundPacket(caller), firstInboundPacket(callee)]);
  const calleeMoments = await moments(callee);
  await pressAt(caller, '.call-end');
  // The ended screen stays 2.5 s; the next call starts from a closed one.
  await Promise.all([caller, callee].map((page) => page.locator('[data-testid="call-screen"]').waitFor({ state: 'detached', timeout: 15_000 })));
  return { inviteToRing: calleeMoments.ringAt - invitedAt, acceptToMedia: Math.max(callerMedia, calleeMedia) - acceptedAt };
}

await runBrowserBench({ env: { CALL_LOOPBACK_ONLY: 'true' }, chromiumArgs: CALL_ARGS }, async (server, browser) => {
  const { ana, ben, conversationId } = await twoUsersInADirectChat(server.url);
  const [caller, callee] = [await device(browser, server.url, ana, conversationId), await device(browser, server.url, ben, conversationId)];

  // Warm-up: the first call also fetches the call chunk and opens the fake devices.
  await oneCall(caller, callee);
  const rings: number[] = [];
  const media: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const { inviteToRing, acceptToMedia } = await oneCall(caller, callee);
    rings.push(inviteToRing);
    media.push(acceptToMedia);
  }
  console.log(`invite → ringing (ms, in order): ${rings.join(', ')}`);
  console.log(`accept → first media on both sides (ms, in order): ${media.join(', ')}`);
  const [mediaMedian, mediaP95, ringMedian, ringP95] = [percentile(media, 50), percentile(media, 95), percentile(rings, 50), percentile(rings, 95)];
  const ok = reportResults('call', [
    { metric: 'accept to first media, median', value: mediaMedian, unit: 'ms', target: `≤ 1000 ms (${CALLS} calls, loopback)`, pass: mediaMedian <= 1000 },
    { metric: 'accept to first media, p95', value: mediaP95, unit: 'ms', target: '≤ 1000 ms', pass: mediaP95 <= 1000 },
    { metric: 'invite to ringing, median', value: ringMedian, unit: 'ms', target: '≤ 200 ms', pass: ringMedian <= 200 },
    { metric: 'invite to ringing, p95', value: ringP95, unit: 'ms', target: '≤ 200 ms', pass: ringP95 <= 200 },
  ]);
  return ok;
});
