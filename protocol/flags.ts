import { z } from 'zod';

/**
 * Feature flags: every flag Rally knows, once, with its type, default and purpose. The server
 * evaluates them for the signed-in user through the OpenFeature Remote Evaluation Protocol (OFREP),
 * so any OpenFeature client (and later flagd, Unleash or another OFREP service instead of Rally's
 * own) reads them the same way. What an administrator changes is the targeting, never the type.
 */

export type FlagValue = boolean | string | number;

interface FlagDefinition<T extends FlagValue> {
  type: T extends boolean ? 'boolean' : T extends string ? 'string' : 'number';
  defaultValue: T;
  description: string;
}

export const FLAG_DEFINITIONS = {
  'websocket-enabled': {
    type: 'boolean',
    defaultValue: true,
    description: 'Live updates over WebSocket; off forces Socket.IO long-polling (for networks that break WebSockets).',
  } satisfies FlagDefinition<boolean>,
  'chat-photos': {
    type: 'boolean',
    defaultValue: false,
    description: 'Sending photos in chats (rolling out).',
  } satisfies FlagDefinition<boolean>,
  'chat-reactions': {
    type: 'boolean',
    defaultValue: false,
    description: 'Emoji reactions on messages (rolling out).',
  } satisfies FlagDefinition<boolean>,
} as const;

export type FlagKey = keyof typeof FLAG_DEFINITIONS;
export const FLAG_KEYS = Object.keys(FLAG_DEFINITIONS) as FlagKey[];
export const isFlagKey = (key: string): key is FlagKey => Object.hasOwn(FLAG_DEFINITIONS, key);

/** The flags' socket event: their targeting changed, so an OpenFeature provider should fetch again. */
export const FLAGS_CHANGED_EVENT = 'flags:changed';

const FlagValueSchema = z.union([z.boolean(), z.string().max(200), z.number().finite()]);

/**
 * How a flag is targeted (stored on the server, edited by administrators). Evaluated in this
 * order: off → the default; a listed user → `onValue`; variants → one by weight, by a stable hash
 * of user id and flag; a rollout → `onValue` for that share of users; otherwise the default.
 */
export const FlagTargeting = z
  .strictObject({
    enabled: z.boolean(),
    /** What "on" means for this flag (a boolean flag: true). */
    onValue: FlagValueSchema.optional(),
    userIds: z.array(z.string().min(1).max(100)).max(1000).default([]),
    rolloutPercent: z.number().min(0).max(100).default(100),
    /** An A/B test: each user gets one, in proportion to the weights (they need not add to 100). */
    variants: z
      .array(z.strictObject({ name: z.string().min(1).max(60), value: FlagValueSchema, weight: z.number().min(0).max(10_000) }))
      .max(20)
      .default([]),
  })
  .refine((t) => t.variants.length === 0 || t.variants.some((v) => v.weight > 0), {
    message: 'At least one variant needs a weight above 0',
    path: ['variants'],
  })
  .refine((t) => new Set(t.variants.map((v) => v.name)).size === t.variants.length, {
    message: 'Variant names must differ',
    path: ['variants'],
  });
export type FlagTargeting = z.infer<typeof FlagTargeting>;

/** `PUT /api/admin/flags/:key` (users named in ADMIN_USER_IDS). */
export const SetFlagBody = z.strictObject({ targeting: FlagTargeting });
export type SetFlagBody = z.infer<typeof SetFlagBody>;

/** `GET /api/admin/flags`: every flag with its definition and current targeting (null: never set). */
export const AdminFlag = z.object({
  key: z.string(),
  type: z.enum(['boolean', 'string', 'number']),
  defaultValue: FlagValueSchema,
  description: z.string(),
  targeting: FlagTargeting.nullable(),
  updatedAt: z.string().nullable(),
});
export const AdminFlagList = z.object({ flags: z.array(AdminFlag) });
export type AdminFlagList = z.infer<typeof AdminFlagList>;

// ---------------------------------------------------------------------------------------------
// OFREP (https://github.com/open-feature/protocol): the request carries an evaluation context;
// Rally evaluates for the authenticated user, whatever `targetingKey` the context claims.

export const OfrepEvaluationRequest = z.object({ context: z.record(z.string(), z.unknown()).optional() });

/** OpenFeature resolution reasons Rally gives. */
export const OfrepReason = z.enum(['STATIC', 'DEFAULT', 'TARGETING_MATCH', 'SPLIT', 'DISABLED']);
export type OfrepReason = z.infer<typeof OfrepReason>;

export const OfrepEvaluationSuccess = z.object({
  key: z.string(),
  value: FlagValueSchema,
  reason: OfrepReason,
  variant: z.string().optional(),
  metadata: z.record(z.string(), z.union([z.boolean(), z.string(), z.number()])).optional(),
});
export type OfrepEvaluationSuccess = z.infer<typeof OfrepEvaluationSuccess>;

export const OfrepEvaluationFailure = z.object({
  key: z.string(),
  errorCode: z.enum(['PARSE_ERROR', 'TARGETING_KEY_MISSING', 'INVALID_CONTEXT', 'FLAG_NOT_FOUND', 'GENERAL']),
  errorDetails: z.string().optional(),
});

export const OfrepBulkResponse = z.object({ flags: z.array(z.union([OfrepEvaluationSuccess, OfrepEvaluationFailure])) });
export type OfrepBulkResponse = z.infer<typeof OfrepBulkResponse>;

/** `GET /ofrep/v1/configuration`: how often a provider may poll. */
export const OfrepConfiguration = z.object({
  name: z.string(),
  capabilities: z.object({
    cacheInvalidation: z.object({ polling: z.object({ enabled: z.boolean(), minPollingIntervalMs: z.number().int() }) }),
    flagEvaluation: z.object({ supportedTypes: z.array(z.string()) }),
  }),
});
