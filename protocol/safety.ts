import { z } from 'zod';
import { Id, Instant } from './ids';

/**
 * Blocks and reports (issue 15). A block is one user's own setting about another: synced to the
 * blocker's devices as a `blocked-user` row (`blockedAt` null once unblocked, so an unblock
 * travels as a row, not a tombstone). The blocked person is never told.
 */
export const BlockedUser = z.object({
  userId: Id,
  /** The blocked person's name when blocked, so the settings list reads without another request. */
  displayName: z.string(),
  /** Null: not blocked (any more). */
  blockedAt: Instant.nullable(),
});
export type BlockedUser = z.infer<typeof BlockedUser>;

export const REPORT_REASONS = ['spam', 'harassment', 'inappropriate', 'other'] as const;
export const ReportReason = z.enum(REPORT_REASONS);
export type ReportReason = z.infer<typeof ReportReason>;

export const REPORT_TEXT_MAX = 500;
/** What the reporter adds in their own words (optional). */
export const ReportText = z.string().trim().max(REPORT_TEXT_MAX);

/** A report as administrators read it: the message's text as it was when reported. */
export const AdminReport = z.object({
  id: Id,
  createdAt: Instant,
  reporter: z.object({ id: Id, displayName: z.string() }),
  target: z.object({ id: Id, displayName: z.string() }),
  /** Present when a message was reported. */
  message: z.object({ id: Id, conversationId: Id, body: z.string(), sentAt: Instant }).nullable(),
  reason: ReportReason,
  text: z.string().nullable(),
});
export type AdminReport = z.infer<typeof AdminReport>;

export const ADMIN_REPORTS_PAGE_SIZE = 50;

export const AdminReportsQuery = z.strictObject({
  /** The `next` of the previous page: reports older than it. */
  before: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(ADMIN_REPORTS_PAGE_SIZE),
});
export type AdminReportsQuery = z.infer<typeof AdminReportsQuery>;

/** Newest first; `next` asks for the page after this one (null: none). */
export const AdminReportsPage = z.object({ reports: z.array(AdminReport), next: z.string().nullable() });
export type AdminReportsPage = z.infer<typeof AdminReportsPage>;
