import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { OfrepEvaluationRequest, SetFlagBody, type OfrepBulkResponse } from '../../protocol/flags';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest } from '../auth/authenticate';
import { parseInput } from '../http/app-error';
import type { FlagService } from '../flags/flag-service';

const FlagParams = z.strictObject({ key: z.string().min(1).max(100) });

/** A connected page hears of a change at once; others poll no more often than this. */
export const MIN_POLLING_INTERVAL_MS = 60_000;

/**
 * The OpenFeature Remote Evaluation Protocol for the signed-in user (a bearer token, like every
 * API call), and the administrators' flag screen. Evaluation ignores the context's
 * `targetingKey`: a page cannot ask for someone else's flags.
 */
export function registerFlagRoutes(app: FastifyInstance, deps: { flags: FlagService; tokens: AccessTokenIssuer }): void {
  app.post('/ofrep/v1/evaluate/flags', async (request, reply) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    parseInput(OfrepEvaluationRequest, request.body ?? {}, 'evaluation request');
    const { flags, etag } = await deps.flags.evaluateAll(viewer.id);
    void reply.header('etag', etag).header('cache-control', 'private, no-cache');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    const body: OfrepBulkResponse = { flags };
    return body;
  });

  app.post('/ofrep/v1/evaluate/flags/:key', async (request, reply) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    const { key } = parseInput(FlagParams, request.params, 'flag');
    parseInput(OfrepEvaluationRequest, request.body ?? {}, 'evaluation request');
    const result = await deps.flags.evaluateOne(viewer.id, key);
    if (result === null) return reply.status(404).send({ key, errorCode: 'FLAG_NOT_FOUND', errorDetails: `There is no flag named “${key}”` });
    return result;
  });

  app.get('/ofrep/v1/configuration', async () => ({
    name: 'Rally',
    capabilities: {
      cacheInvalidation: { polling: { enabled: true, minPollingIntervalMs: MIN_POLLING_INTERVAL_MS } },
      flagEvaluation: { supportedTypes: ['boolean', 'string', 'number'] },
    },
  }));

  app.get('/api/admin/flags', async (request, reply) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    void reply.header('cache-control', 'no-store');
    return deps.flags.list(viewer);
  });

  app.put('/api/admin/flags/:key', async (request) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    const { key } = parseInput(FlagParams, request.params, 'flag');
    const { targeting } = parseInput(SetFlagBody, request.body, 'flag');
    return deps.flags.set(viewer, key, targeting);
  });
}
