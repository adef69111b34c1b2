import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, useSockets, type TestServer, type TestUser } from './harness';
import { activityWith, registerUser, registerWebPushDevice, sendMessage } from './push/push-world';

const TOKEN = 'scrape-token-for-tests-0123456789';

/** One sample's value from Prometheus text, by its name and labels as written (`name{a="b"}`). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((row) => row.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Prometheus metrics', () => {
  const sockets = useSockets();
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  const scrape = (authorization?: string) => fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    server = await startTestServer({ METRICS_TOKEN: TOKEN, PUSH_DISPATCHER: 'off' });
    [ana, ben] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben')];
  });
  afterAll(async () => server?.close());

  it('answers only a scraper holding the token', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('Bearer wrong-token-of-the-same-len')).status).toBe(401);
    expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(200);
  });

  it('counts requests by route pattern, open sockets, and the push queue as it stands', async () => {
    const room = await activityWith(server, ana, [ben]);
    await registerWebPushDevice(server, ben, { endpoint: 'https://127.0.0.1:9/push/ben', keys: { p256dh: 'BKey', auth: 'secret' } });
    await sendMessage(server, ana, room, 'Queued for Ben, never sent: the dispatcher is off');
    await sockets.connect(server, ana);
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    // The pattern, not the raw URL: one series for every activity.
    expect(sample(text, 'rally_http_requests_total{method="POST",route="/api/activities/:activityId/join",status_code="200"}')).toBe(1);
    expect(text).not.toContain(room);
    expect(sample(text, 'rally_socket_connections')).toBe(1);
    expect(sample(text, 'rally_push_outbox{status="pending"}')).toBe(1);
    expect(sample(text, 'rally_push_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(text).toContain('rally_http_request_duration_seconds_bucket');
  });

  it('has no such route when no token is set', async () => {
    const plain = await startTestServer({ PUSH_DISPATCHER: 'off' });
    try {
      expect((await fetch(`${plain.url}/metrics`)).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
