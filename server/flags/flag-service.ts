import { createHash } from 'node:crypto';
import {
  FLAG_DEFINITIONS,
  FLAG_KEYS,
  FlagTargeting,
  isFlagKey,
  type AdminFlagList,
  type FlagKey,
  type OfrepEvaluationSuccess,
} from '../../protocol/flags';
import type { Db } from '../db/connect';
import { AppError } from '../http/app-error';
import { resolveFlag } from './flag-rules';
import { wrongValueType, type InitialTargeting } from './initial-targeting';

/**
 * Feature flags for the signed-in user (OFREP evaluation) and for administrators (read and set
 * targeting). A change tells every connected page, on every process, to evaluate again.
 */
export interface FlagService {
  /** Every flag for this user, and an ETag of the answer (a provider's poll gets 304 when nothing moved). */
  evaluateAll(userId: string): Promise<{ flags: OfrepEvaluationSuccess[]; etag: string }>;
  evaluateOne(userId: string, key: string): Promise<OfrepEvaluationSuccess | null>;
  list(viewer: { id: string }): Promise<AdminFlagList>;
  set(viewer: { id: string }, key: string, targeting: FlagTargeting): Promise<AdminFlagList['flags'][number]>;
}

export function createFlagService(deps: { db: Db; adminUserIds: readonly string[]; now: () => Date; onChanged: () => void; initialTargeting?: InitialTargeting }): FlagService {
  const { db } = deps;
  const initial: InitialTargeting = deps.initialTargeting ?? new Map();

  async function readTargeting(): Promise<Map<FlagKey, { targeting: FlagTargeting; updatedAt: string | null }>> {
    const rows = await db.selectFrom('featureFlags').selectAll().execute();
    const stored = new Map<FlagKey, { targeting: FlagTargeting; updatedAt: string | null }>();
    for (const row of rows) {
      // A row for a flag since removed from the contract, or unreadable, counts as never set.
      const targeting = FlagTargeting.safeParse(safeJson(row.targeting));
      if (isFlagKey(row.key) && targeting.success) stored.set(row.key, { targeting: targeting.data, updatedAt: row.updatedAt });
    }
    // What the operator configured holds for flags no administrator has saved (never "updated").
    for (const [key, targeting] of initial) if (!stored.has(key)) stored.set(key, { targeting, updatedAt: null });
    return stored;
  }

  function evaluate(key: FlagKey, targeting: FlagTargeting | null, userId: string): OfrepEvaluationSuccess {
    const definition = FLAG_DEFINITIONS[key];
    const resolution = resolveFlag({ key, defaultValue: definition.defaultValue }, targeting, userId);
    return { key, ...resolution, metadata: { type: definition.type } };
  }

  function requireAdmin(viewer: { id: string }): void {
    if (!deps.adminUserIds.includes(viewer.id)) throw new AppError('forbidden', 'Only an administrator may manage feature flags');
  }

  return {
    async evaluateAll(userId) {
      const stored = await readTargeting();
      const flags = FLAG_KEYS.map((key) => evaluate(key, stored.get(key)?.targeting ?? null, userId));
      const etag = `"${createHash('sha256').update(JSON.stringify(flags)).digest('base64url').slice(0, 22)}"`;
      return { flags, etag };
    },

    async evaluateOne(userId, key) {
      if (!isFlagKey(key)) return null;
      const stored = await readTargeting();
      return evaluate(key, stored.get(key)?.targeting ?? null, userId);
    },

    async list(viewer) {
      requireAdmin(viewer);
      const stored = await readTargeting();
      return {
        flags: FLAG_KEYS.map((key) => {
          const { type, defaultValue, description } = FLAG_DEFINITIONS[key];
          const row = stored.get(key);
          return { key, type, defaultValue, description, targeting: row?.targeting ?? null, updatedAt: row?.updatedAt ?? null };
        }),
      };
    },

    async set(viewer, key, targeting) {
      requireAdmin(viewer);
      if (!isFlagKey(key)) throw new AppError('not_found', `There is no flag named “${key}”`);
      const definition = FLAG_DEFINITIONS[key];
      const wrongType = wrongValueType(key, targeting);
      if (wrongType) throw new AppError('invalid_input', wrongType, { fields: { targeting: wrongType } });
      const updatedAt = deps.now().toISOString();
      const row = { key, targeting: JSON.stringify(targeting), updatedAt, updatedBy: viewer.id };
      await db
        .insertInto('featureFlags')
        .values(row)
        .onConflict((conflict) => conflict.column('key').doUpdateSet({ targeting: row.targeting, updatedAt, updatedBy: viewer.id }))
        .execute();
      deps.onChanged();
      const { type, defaultValue, description } = definition;
      return { key, type, defaultValue, description, targeting, updatedAt };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
