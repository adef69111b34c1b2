import type { Kysely } from 'kysely';
import type { AdminReport, ReportReason } from '../../protocol';
import type { Database, ReportsTable } from '../db/schema';

type Db = Kysely<Database>;

/** Inserts a report unless one with its source key is there: true when this call stored it. */
export async function insertReport(db: Db, row: ReportsTable): Promise<boolean> {
  const inserted = await db
    .insertInto('reports')
    .values(row)
    .onConflict((oc) => oc.column('sourceKey').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** A page of reports, newest first, older than `before` (created at, id) when given. */
export async function listReports(db: Db, before: { createdAt: string; id: string } | null, limit: number): Promise<AdminReport[]> {
  let query = db
    .selectFrom('reports as r')
    .innerJoin('users as reporter', 'reporter.id', 'r.reporterId')
    .innerJoin('users as target', 'target.id', 'r.targetUserId')
    .selectAll('r')
    .select(['reporter.displayName as reporterName', 'target.displayName as targetName'])
    .orderBy('r.createdAt', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit);
  if (before) {
    query = query.where((eb) => eb.or([eb('r.createdAt', '<', before.createdAt), eb.and([eb('r.createdAt', '=', before.createdAt), eb('r.id', '<', before.id)])]));
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt,
    reporter: { id: row.reporterId, displayName: row.reporterName },
    target: { id: row.targetUserId, displayName: row.targetName },
    message:
      row.messageId !== null && row.conversationId !== null
        ? { id: row.messageId, conversationId: row.conversationId, body: row.messageBody ?? '', sentAt: row.messageSentAt ?? row.createdAt }
        : null,
    reason: row.reason as ReportReason,
    text: row.text,
  }));
}
