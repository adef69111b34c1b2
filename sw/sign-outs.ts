import { Queue } from 'workbox-background-sync';
import { registerRoute } from 'workbox-routing';
import { SIGN_OUT_QUEUE_NAME } from '../protocol/worker-messages';

/**
 * Sign-outs the network refused. A sign-out holds on the device at once; ending the session on the
 * server may wait, but not for a page to open: the request is kept here and sent by background
 * sync. It names the session it ends (never a credential: the cookie is added by the browser when
 * it is sent, and the server ignores a cookie of someone else's), so a late send is harmless.
 *
 * Workbox's own replay fits: any answer means the server heard it (the page keeps its own list
 * and sends again after a 5xx), a network failure keeps the rest for the next sync.
 */
const queue = new Queue(SIGN_OUT_QUEUE_NAME, { maxRetentionTime: 30 * 24 * 60 });

/** Every page opened offline tries again; the queue holds each session's sign-out once. */
async function keepOnce(request: Request): Promise<void> {
  const body = await request.clone().text();
  const held = await queue.getAll();
  const bodies = await Promise.all(held.map((entry) => entry.request.clone().text()));
  if (!bodies.includes(body)) await queue.pushRequest({ request });
}

async function sendOrKeep(request: Request): Promise<Response> {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (error) {
    await keepOnce(copy);
    throw error;
  }
}

export function routeSignOutsThroughQueue(): void {
  registerRoute(({ url }) => url.pathname === '/api/auth/logout', ({ request }) => sendOrKeep(request), 'POST');
}

/** Before anything else is replayed: a session someone left must end before its writes go. */
export async function replaySignOuts(): Promise<void> {
  await queue.replayRequests().catch(() => undefined);
}
