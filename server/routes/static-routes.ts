import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../http/app-error';

/** Files that must be revalidated on every load so an update reaches users promptly. */
const ALWAYS_REVALIDATE = new Set(['index.html', 'sw.js', 'manifest.webmanifest', 'registerSW.js']);

/**
 * Serves the built PWA. Hashed assets are immutable; everything else is revalidated. Any GET for
 * an app route that is not a file gets index.html, so deep links open directly.
 */
export async function registerStaticRoutes(app: FastifyInstance, staticDir: string): Promise<void> {
  const hasBuild = existsSync(path.join(staticDir, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root: staticDir,
      // Files are looked up per request, so a rebuild while the server runs is served at once.
      wildcard: true,
      index: false,
      setHeaders: (res, filePath) => {
        const name = path.basename(filePath);
        if (filePath.includes(`${path.sep}assets${path.sep}`)) {
          res.header('cache-control', 'public, max-age=31536000, immutable');
        } else if (ALWAYS_REVALIDATE.has(name)) {
          res.header('cache-control', 'no-cache');
        } else {
          res.header('cache-control', 'public, max-age=3600');
        }
        if (name.endsWith('.webmanifest')) res.header('content-type', 'application/manifest+json');
      },
    });
  }

  if (hasBuild) {
    // The wildcard file route would treat "/" as a directory listing; the app shell answers it.
    app.get('/', (_request, reply) => reply.header('cache-control', 'no-cache').type('text/html').sendFile('index.html'));
  }

  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    const isApi = pathname.startsWith('/api/') || pathname === '/api' || pathname.startsWith('/socket.io');
    const wantsPage = request.method === 'GET' && !path.extname(pathname);
    if (!isApi && wantsPage && hasBuild) {
      return reply.header('cache-control', 'no-cache').type('text/html').sendFile('index.html');
    }
    const error = new AppError('not_found', `No route for ${request.method} ${pathname}`);
    return reply.status(404).send(error.toBody());
  });
}
