import { describe, expect, it } from 'vitest';
import { MAX_TRANSIENT_RETRIES } from './retry-policy';
import { FIRST_ATTEMPT, MAX_GAP_WAITS, nextAttempt, nextSendStep, type GapRule, type SendAnswer, type SendAttempt, type SendStep } from './send-policy';

const half = () => 0.5;
const tried = (changes: Partial<SendAttempt>): SendAttempt => ({ ...FIRST_ATTEMPT, ...changes });

/** [answer, attempt, gap rule, the step both runtimes take]: the one table for page and worker. */
const TABLE: [string, SendAnswer, SendAttempt, GapRule | 'either', SendStep][] = [
  ['2xx is applied', { status: 200 }, FIRST_ATTEMPT, 'either', { kind: 'applied' }],
  ['a refusal for good', { status: 404 }, FIRST_ATTEMPT, 'either', { kind: 'rejected' }],
  ['a conflict is a refusal', { status: 409 }, FIRST_ATTEMPT, 'either', { kind: 'rejected' }],
  ['invalid input is a refusal', { status: 400 }, FIRST_ATTEMPT, 'either', { kind: 'rejected' }],
  ['no network: keep it, stop', { status: 0 }, tried({ retries: 2, refreshed: true }), 'either', { kind: 'offline' }],
  ['401: refresh once', { status: 401 }, FIRST_ATTEMPT, 'either', { kind: 'refresh' }],
  ['401 after a refresh: hold for the next sign-in', { status: 401 }, tried({ refreshed: true }), 'either', { kind: 'hold' }],
  ['429: wait as told, no try spent', { status: 429, retryAfterMs: 3_000 }, FIRST_ATTEMPT, 'either', { kind: 'retry', afterMs: 3_000, spendsTry: false }],
  ['429 without Retry-After: a second', { status: 429 }, tried({ retries: MAX_TRANSIENT_RETRIES }), 'either', { kind: 'retry', afterMs: 1_000, spendsTry: false }],
  ['429 asking for an hour: a minute at most', { status: 429, retryAfterMs: 3_600_000 }, FIRST_ATTEMPT, 'either', { kind: 'retry', afterMs: 60_000, spendsTry: false }],
  ['500: back off 0.5 s', { status: 500 }, FIRST_ATTEMPT, 'either', { kind: 'retry', afterMs: 500, spendsTry: true }],
  ['503 again: back off 1 s', { status: 503 }, tried({ retries: 1 }), 'either', { kind: 'retry', afterMs: 1_000, spendsTry: true }],
  ['timeout: back off', { status: -1 }, FIRST_ATTEMPT, 'either', { kind: 'retry', afterMs: 500, spendsTry: true }],
  ['408: back off', { status: 408 }, FIRST_ATTEMPT, 'either', { kind: 'retry', afterMs: 500, spendsTry: true }],
  ['transient, tries used up: failed', { status: 500 }, tried({ retries: MAX_TRANSIENT_RETRIES }), 'either', { kind: 'failed' }],
  ['page, gap: wait for the earlier one', { status: 425 }, FIRST_ATTEMPT, 'wait', { kind: 'wait-for-earlier', afterMs: 250 }],
  ['page, gap again: wait longer', { status: 425 }, tried({ gapWaits: 3 }), 'wait', { kind: 'wait-for-earlier', afterMs: 2_000 }],
  ['page, gap outlasting its waits: hold', { status: 425 }, tried({ gapWaits: MAX_GAP_WAITS }), 'wait', { kind: 'hold' }],
  ['worker, gap at the head: send without the chain', { status: 425 }, FIRST_ATTEMPT, 'unchain', { kind: 'unchain' }],
  ['worker, gap without a chain: refused', { status: 425 }, tried({ unchained: true }), 'unchain', { kind: 'rejected' }],
];

describe('nextSendStep: one rule for page and worker', () => {
  for (const [name, answer, attempt, rule, step] of TABLE) {
    it(name, () => {
      const rules: GapRule[] = rule === 'either' ? ['wait', 'unchain'] : [rule];
      for (const gapRule of rules) expect(nextSendStep(answer, attempt, gapRule, half)).toEqual(step);
    });
  }

  it('counts what each step spends', () => {
    expect(nextAttempt(FIRST_ATTEMPT, { kind: 'retry', afterMs: 500, spendsTry: true })).toEqual(tried({ retries: 1 }));
    expect(nextAttempt(FIRST_ATTEMPT, { kind: 'retry', afterMs: 500, spendsTry: false })).toEqual(FIRST_ATTEMPT);
    expect(nextAttempt(FIRST_ATTEMPT, { kind: 'wait-for-earlier', afterMs: 250 })).toEqual(tried({ gapWaits: 1 }));
    expect(nextAttempt(FIRST_ATTEMPT, { kind: 'unchain' })).toEqual(tried({ unchained: true }));
    expect(nextAttempt(FIRST_ATTEMPT, { kind: 'refresh' })).toEqual(tried({ refreshed: true }));
  });

  it('gives up after three tries in all on a server that keeps failing', () => {
    let attempt = FIRST_ATTEMPT;
    const steps: string[] = [];
    for (;;) {
      const step = nextSendStep({ status: 500 }, attempt, 'wait', half);
      steps.push(step.kind);
      if (step.kind !== 'retry') break;
      attempt = nextAttempt(attempt, step);
    }
    expect(steps).toEqual(['retry', 'retry', 'failed']);
  });
});
