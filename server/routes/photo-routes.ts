import type { FastifyInstance } from 'fastify';
import { PHOTO_MAX_BYTES, PhotoRef } from '../../protocol';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest } from '../auth/authenticate';
import { parseInput } from '../http/app-error';
import { spendOrRefuse, type UserBudget } from '../limits/user-limits';
import type { PhotoService } from '../media/photo-service';

/** A year: a photo's bytes never change under its hash. Private: only its conversation may read it. */
const PHOTO_CACHE_CONTROL = 'private, max-age=31536000, immutable';

/**
 * `PUT /api/photos/:hash` takes a photo's raw bytes (whatever the Content-Type says: the bytes
 * are sniffed), up to PHOTO_MAX_BYTES; `GET /api/photos/:hash` serves it to those who may see it.
 * In a scope of their own, so the raw-body parser and the larger limit apply to nothing else.
 */
export async function registerPhotoRoutes(app: FastifyInstance, deps: { tokens: AccessTokenIssuer; photos: PhotoService; uploads: UserBudget }): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: PHOTO_MAX_BYTES }, (_request, body, done) => done(null, body));

    scope.put('/api/photos/:hash', { bodyLimit: PHOTO_MAX_BYTES }, async (request, reply) => {
      const viewer = await authenticateRequest(request, deps.tokens);
      const { hash } = parseInput(PhotoRef, request.params, 'photo');
      await spendOrRefuse(deps.uploads, viewer.id);
      const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const { photo, created } = await deps.photos.store(viewer, hash, bytes);
      return reply.code(created ? 201 : 200).send(photo);
    });

    scope.get('/api/photos/:hash', async (request, reply) => {
      const viewer = await authenticateRequest(request, deps.tokens);
      const { hash } = parseInput(PhotoRef, request.params, 'photo');
      const { bytes, type } = await deps.photos.read(viewer, hash);
      return reply
        .header('content-type', type)
        .header('cache-control', PHOTO_CACHE_CONTROL)
        .header('x-content-type-options', 'nosniff')
        .header('etag', `"${hash}"`)
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(bytes);
    });
  });
}
