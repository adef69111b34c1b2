import { randomUUID } from 'node:crypto';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { directConversationId } from '../../protocol';
import { api, type ApiUser } from './api-client';
import { signInViaForm, waitForServiceWorker } from './fixtures';

/** Chromium's flags for calls: a fake camera and microphone, no permission prompt, loopback ICE. */
export const CALL_BROWSER_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection'];

/** Every RTCPeerConnection the page makes, kept where the test can ask it for stats. */
const RECORD_PEER_CONNECTIONS = () => {
  const Native = window.RTCPeerConnection;
  const made: RTCPeerConnection[] = [];
  (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections = made;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      made.push(this);
    }
  };
};

/**
 * A device of `user` on `baseUrl`: own browser context, signed in, with its worker in control.
 * `prepare` runs on the context before its first page (more permissions, init scripts).
 */
export async function callDevice(browser: Browser, baseUrl: string, user: ApiUser, prepare?: (context: BrowserContext) => Promise<void>): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 360, height: 740 }, permissions: ['microphone', 'camera'] });
  await context.addInitScript(RECORD_PEER_CONNECTIONS);
  await prepare?.(context);
  const page = await context.newPage();
  await signInViaForm(page, user.email, user.password);
  await waitForServiceWorker(page);
  return page;
}

/** Opens the direct conversation of two users through the API and returns its id. */
export async function openDirectConversation(baseUrl: string, user: ApiUser, peer: ApiUser): Promise<string> {
  const id = await directConversationId(user.id, peer.id);
  await api(baseUrl, user, 'POST', '/api/mutations', {
    clientId: randomUUID(),
    mutationId: 1,
    createdAt: new Date().toISOString(),
    name: 'conversation.open',
    args: { id, peerId: peer.id },
  });
  return id;
}

export interface MediaFigures {
  connectionState: string;
  inboundAudioBytes: number;
  inboundVideoBytes: number;
  /** Energy of what arrived: grows while the other side's microphone sends sound. */
  inboundAudioEnergy: number;
  outboundAudioEnabled: boolean | null;
  /** The local candidate type of the selected pair ('host', 'relay'…). */
  localCandidateType: string | null;
  localAddress: string | null;
}

/** The figures of the page's newest peer connection, from its own getStats(). */
export async function mediaFigures(page: Page): Promise<MediaFigures> {
  return page.evaluate(async () => {
    const list = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
    const pc = list.at(-1);
    const figures = { connectionState: pc?.connectionState ?? 'none', inboundAudioBytes: 0, inboundVideoBytes: 0, inboundAudioEnergy: 0, outboundAudioEnabled: null as boolean | null, localCandidateType: null as string | null, localAddress: null as string | null };
    if (!pc) return figures;
    const stats = [...(await pc.getStats()).values()] as Record<string, unknown>[];
    for (const entry of stats) {
      if (entry.type === 'inbound-rtp' && entry.kind === 'audio') {
        figures.inboundAudioBytes += Number(entry.bytesReceived ?? 0);
        figures.inboundAudioEnergy += Number(entry.totalAudioEnergy ?? 0);
      }
      if (entry.type === 'inbound-rtp' && entry.kind === 'video') figures.inboundVideoBytes += Number(entry.bytesReceived ?? 0);
    }
    const transport = stats.find((entry) => entry.type === 'transport');
    const pair = stats.find((entry) => entry.type === 'candidate-pair' && entry.id === transport?.selectedCandidatePairId);
    const local = stats.find((entry) => entry.type === 'local-candidate' && entry.id === pair?.localCandidateId);
    figures.localCandidateType = (local?.candidateType as string | undefined) ?? null;
    figures.localAddress = (local?.address as string | undefined) ?? null;
    const audioSender = pc.getSenders().find((sender) => sender.track?.kind === 'audio');
    figures.outboundAudioEnabled = audioSender?.track?.enabled ?? null;
    return figures;
  });
}

/** Waits until the page's connection is up and inbound audio (and video, if asked) bytes grow. */
export async function expectMediaFlowing(page: Page, options: { video?: boolean; connectMs?: number } = {}): Promise<void> {
  await expect.poll(async () => (await mediaFigures(page)).connectionState, { timeout: options.connectMs ?? 15_000 }).toBe('connected');
  const before = await mediaFigures(page);
  await expect
    .poll(async () => {
      const now = await mediaFigures(page);
      return now.inboundAudioBytes > before.inboundAudioBytes && (!options.video || now.inboundVideoBytes > before.inboundVideoBytes);
    }, { timeout: 10_000 })
    .toBe(true);
}

export function callStatus(page: Page) {
  return page.getByTestId('call-status');
}

/** The call lines the conversation on this page shows, in order. */
export function callLines(page: Page) {
  return page.getByTestId('call-line').locator('.message-body');
}
