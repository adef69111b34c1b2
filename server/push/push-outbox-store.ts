import { sql, type Selectable } from 'kysely';
import { newRowId, type PushKind, type PushPayload } from '../../protocol';
import type { Db } from '../db/connect';
import type { PushOutboxStatus, PushOutboxTable } from '../db/schema';
import type { DeviceRow } from './devices-store';
import { PRIORITY_OF, pushTopicOf } from './push-rules';

export type OutboxRow = Selectable<PushOutboxTable>;

/**
 * The push outbox: one row per device per push, written in the transaction of the change that
 * caused it, so a push exists exactly when its change does. Dispatchers claim rows with a lease;
 * a row whose claimer died is claimed again once the lease runs out.
 */
export async function enqueuePushes(db: Db, items: { device: DeviceRow; kind: PushKind; payload: PushPayload }[], at: string): Promise<number> {
  if (items.length === 0) return 0;
  await db
    .insertInto('pushOutbox')
    .values(
      items.map(({ device, kind, payload }) => ({
        id: newRowId(),
        deviceId: device.id,
        userId: device.userId,
        kind,
        priority: PRIORITY_OF[kind],
        topic: pushTopicOf(payload.tag),
        payload: JSON.stringify(payload),
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: at,
        leaseUntil: null,
        claimedBy: null,
        lastError: null,
        createdAt: at,
        settledAt: null,
      })),
    )
    .execute();
  return items.length;
}

/**
 * Claims up to `limit` due rows for `claimer` until `leaseUntil`, counting the attempt. On
 * Postgres `FOR UPDATE SKIP LOCKED` lets several processes claim at once without waiting on or
 * taking each other's rows; SQLite runs one write at a time, so the statement alone is the claim.
 */
export async function claimDuePushes(db: Db, dialect: 'sqlite' | 'postgres', input: { claimer: string; now: string; leaseUntil: string; limit: number }): Promise<OutboxRow[]> {
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const { rows } = await sql<OutboxRow>`
    update push_outbox set claimed_by = ${input.claimer}, lease_until = ${input.leaseUntil}, attempts = attempts + 1
     where id in (select id from push_outbox
                   where status = 'pending' and next_attempt_at <= ${input.now} and (lease_until is null or lease_until < ${input.now})
                   order by next_attempt_at, id limit ${input.limit} ${lock})
    returning id, device_id as "deviceId", user_id as "userId", kind, priority, topic, payload, status, attempts,
              next_attempt_at as "nextAttemptAt", lease_until as "leaseUntil", claimed_by as "claimedBy",
              last_error as "lastError", created_at as "createdAt", settled_at as "settledAt"`.execute(db);
  return rows.map((row) => ({ ...row, attempts: Number(row.attempts) }));
}

/**
 * Settles a claimed row, in its own commit. Only the claimer's claim settles it: a row whose
 * lease ran out and was claimed again belongs to the new claimer.
 */
export async function settlePush(db: Db, row: Pick<OutboxRow, 'id' | 'claimedBy'>, status: Exclude<PushOutboxStatus, 'pending'>, at: string, detail?: string): Promise<void> {
  await db
    .updateTable('pushOutbox')
    .set({ status, settledAt: at, leaseUntil: null, lastError: detail ?? null })
    .where('id', '=', row.id)
    .where('claimedBy', '=', row.claimedBy)
    .where('status', '=', 'pending')
    .execute();
}

/** Releases a claimed row to be tried again at `nextAttemptAt`. */
export async function retryPushLater(db: Db, row: Pick<OutboxRow, 'id' | 'claimedBy'>, nextAttemptAt: string, detail: string): Promise<void> {
  await db
    .updateTable('pushOutbox')
    .set({ nextAttemptAt, leaseUntil: null, lastError: detail })
    .where('id', '=', row.id)
    .where('claimedBy', '=', row.claimedBy)
    .where('status', '=', 'pending')
    .execute();
}

export interface OutboxCounts {
  byStatus: Record<PushOutboxStatus, number>;
  oldestPendingAt: string | null;
}

export async function countPushes(db: Db): Promise<OutboxCounts> {
  const rows = await db.selectFrom('pushOutbox').select(['status', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('status').execute();
  const byStatus: Record<PushOutboxStatus, number> = { pending: 0, sent: 0, failed: 0, expired: 0, 'skipped-live': 0 };
  for (const row of rows) byStatus[row.status] = Number(row.count);
  const oldest = await db.selectFrom('pushOutbox').select((eb) => eb.fn.min('createdAt').as('at')).where('status', '=', 'pending').executeTakeFirst();
  return { byStatus, oldestPendingAt: (oldest?.at as string | null | undefined) ?? null };
}
