import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The Google endpoints Firebase's `getToken` calls from the page (@firebase/installations creates
 * an installation, @firebase/messaging registers the push subscription for an FCM token). Only
 * allowed when the server hands pages a Firebase web config: without them in `connect-src` the
 * browser refuses both requests and the FCM path can never register a device.
 */
export const FIREBASE_CONNECT_SOURCES = ['https://firebaseinstallations.googleapis.com', 'https://fcmregistrations.googleapis.com'];

/**
 * Security headers with a Content-Security-Policy the built app passes: no inline scripts,
 * same-origin connections only (WebSocket included; Firebase's two endpoints too when it is
 * configured), no framing.
 */
export async function registerSecurityHeaders(app: FastifyInstance, options: { firebase: boolean }): Promise<void> {
  // Not `global`: then the plugin builds helmet's middleware anew for every request, parsing the
  // policy each time (a visible part of a small write's CPU). The headers depend on nothing but
  // these options, so the first request's are kept and set as they are on every later one.
  await app.register(helmet, {
    global: false,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // React sets style attributes; no stylesheet comes from elsewhere.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", ...(options.firebase ? FIREBASE_CONNECT_SOURCES : [])],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // The app loads nothing cross-origin, and COEP would only break future push/avatars.
    crossOriginEmbedderPolicy: false,
  });
  let headers: [string, string | number | readonly string[]][] | undefined;
  app.addHook('onRequest', async (_request, reply) => {
    const response = reply.raw;
    if (headers) {
      response.removeHeader('x-powered-by');
      for (const [name, value] of headers) response.setHeader(name, value);
      return;
    }
    const before = new Set(response.getHeaderNames());
    reply.helmet();
    headers = response
      .getHeaderNames()
      .filter((name) => !before.has(name))
      .map((name) => [name, response.getHeader(name)!]);
  });
}
