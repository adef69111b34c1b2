import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ClientId, Mutation, MutationBatch, MutationId, WRITER_HEADER, type MutationAnswer, type MutationBatchAnswers, type MutationRejected } from '../../protocol';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest, type Viewer } from '../auth/authenticate';
import { AppError, parseInput } from '../http/app-error';
import type { MutationService } from '../mutations/mutation-service';
import { spendOrRefuse, type UserBudget } from '../limits/user-limits';

const MutationIds = z.object({ clientId: ClientId, mutationId: MutationId });

type Deps = { tokens: AccessTokenIssuer; mutations: MutationService; writes: UserBudget };

/** The signed-in writer; a write sent with someone else's token is refused, never applied as them. */
async function writerOf(request: FastifyRequest, deps: Deps): Promise<Viewer> {
  const viewer = await authenticateRequest(request, deps.tokens);
  const writer = request.headers[WRITER_HEADER.toLowerCase()];
  if (writer !== undefined && writer !== viewer.id) throw new AppError('forbidden', 'This change was made by another user');
  return viewer;
}

/**
 * A mutation that cannot be read but names itself is refused for good, and recorded as such: the
 * sender settles it, and one it chained after it is no gap. Null when it does not name itself.
 */
async function refuseUnreadable(deps: Deps, viewer: Viewer, error: unknown, raw: unknown): Promise<{ status: number; body: MutationRejected } | null> {
  const ids = MutationIds.safeParse(raw);
  if (!(error instanceof AppError) || error.status >= 500 || !ids.success) return null;
  const name = typeof (raw as { name?: unknown }).name === 'string' ? String((raw as { name: string }).name).slice(0, 40) : 'unreadable';
  const outcome = await deps.mutations.refuseUnreadable(viewer, { ...ids.data, name }, error);
  return { status: outcome.httpStatus, body: outcome.body as MutationRejected };
}

/**
 * One mutation of a batch, answered as it would be alone. An error the single route would leave to
 * the error handler (a gap, a failure of ours) becomes this mutation's answer, and the batch stops there.
 */
async function answerOne(deps: Deps, viewer: Viewer, raw: MutationBatch['mutations'][number], log: FastifyBaseLogger): Promise<MutationAnswer> {
  let mutation: Mutation;
  try {
    mutation = parseInput(Mutation, raw, 'mutation');
  } catch (error) {
    const refusal = await refuseUnreadable(deps, viewer, error, raw);
    if (refusal) return { httpStatus: refusal.status, body: refusal.body };
    throw error;
  }
  try {
    const outcome = await deps.mutations.apply(viewer, mutation);
    return { httpStatus: outcome.httpStatus, body: outcome.body };
  } catch (error) {
    if (!(error instanceof AppError)) log.error({ err: error }, 'a batched mutation failed');
    const failure = error instanceof AppError ? error : new AppError('internal', 'Rally could not apply this change');
    return { httpStatus: failure.status, body: { ...failure.toBody(), mutation: { clientId: raw.clientId, mutationId: raw.mutationId } } };
  }
}

/** Answers after which a batch goes no further: the client sends that mutation, and the rest, again. */
const isFinal = (status: number) => status < 500 && status !== 401 && status !== 425 && status !== 429;

export function registerMutationRoutes(app: FastifyInstance, deps: Deps): void {
  app.post('/api/mutations', async (request, reply) => {
    const viewer = await writerOf(request, deps);
    // Spent before anything is read or stored: a refused write leaves no trace.
    await spendOrRefuse(deps.writes, viewer.id);
    let mutation: Mutation;
    try {
      mutation = parseInput(Mutation, request.body, 'mutation');
    } catch (error) {
      const refusal = await refuseUnreadable(deps, viewer, error, request.body);
      if (!refusal) throw error;
      return reply.status(refusal.status).send(refusal.body);
    }
    const outcome = await deps.mutations.apply(viewer, mutation);
    void reply.status(outcome.httpStatus).header('cache-control', 'no-store');
    return outcome.json === undefined ? reply.send(outcome.body) : reply.type('application/json; charset=utf-8').send(outcome.json);
  });

  app.post('/api/mutations/batch', async (request, reply) => {
    const viewer = await writerOf(request, deps);
    const { mutations } = parseInput(MutationBatch, request.body, 'batch');
    // Each mutation counts against the writer's limit as if it came alone.
    await spendOrRefuse(deps.writes, viewer.id, mutations.length);
    const answers: MutationAnswer[] = [];
    for (const raw of mutations) {
      const answer = await answerOne(deps, viewer, raw, request.log);
      answers.push(answer);
      if (!isFinal(answer.httpStatus)) break;
    }
    const body: MutationBatchAnswers = { answers };
    return reply.header('cache-control', 'no-store').send(body);
  });
}
