import { sql, type RawBuilder } from 'kysely';
import { MESSAGE_PAGE_SIZE } from '../../protocol';
import { takesPart } from '../chat/chat-store';

/**
 * What a synced row hangs under: an activity or a conversation. Sight of the scope is sight of
 * the row, and gaining sight of a scope (a grant) delivers every row under it, however old.
 */
export interface SyncScope {
  /** The scope's table, and the alias every feed query gives it. */
  table: string;
  alias: string;
  /** The log query's name for the scopes granted in its window: rows of (scope_id, granted_at). */
  grantsName: string;
  /** The scopes `userId` gained sight of at positions in `range`, newest grant per scope. */
  grantedIn(userId: string, range: PositionRange): RawBuilder<unknown>;
  /** The scope row under `alias` (its usual one unless named) is one `userId` may see now. */
  visibleTo(userId: string, alias?: string): RawBuilder<boolean>;
}

/** Positions from `from` to `to`, both included. */
export interface PositionRange {
  from: number;
  to: number;
}

// Aliases are always names written in code, never input, so they go into the SQL as they are.
const columnOf = (alias: string, name: string) => sql.raw(`${alias}.${name}`);

export const activityScope: SyncScope = {
  table: 'activities',
  alias: 'activity',
  grantsName: 'activity_grants',
  // An invitation, or the activity becoming public.
  grantedIn: (userId, { from, to }) => sql`
    select scope_id, max(granted_at) as granted_at from (
      select activity_id as scope_id, seq as granted_at from activity_invites
       where user_id = ${userId} and seq >= ${from} and seq <= ${to}
      union all
      select id, public_since_seq from activities
       where visibility = 'public' and public_since_seq >= ${from} and public_since_seq <= ${to}
    ) grant_events group by scope_id`,
  visibleTo: (userId, alias = 'activity') => {
    const column = (name: string) => columnOf(alias, name);
    return sql<boolean>`(${column('deleted_at')} is null and (${column('visibility')} = 'public' or ${column('owner_id')} = ${userId}
      or exists (select 1 from activity_members viewer_membership
                  where viewer_membership.activity_id = ${column('id')} and viewer_membership.user_id = ${userId})
      or exists (select 1 from activity_invites viewer_invite
                  where viewer_invite.activity_id = ${column('id')} and viewer_invite.user_id = ${userId})))`;
  },
};

export const conversationScope: SyncScope = {
  table: 'conversations',
  alias: 'conversation',
  grantsName: 'conversation_grants',
  // A member gains sight of the activity's room (its newest page and receipts) when they join;
  // the room's id is the activity's.
  grantedIn: (userId, { from, to }) => sql`
    select activity_id as scope_id, seq as granted_at from activity_members
     where user_id = ${userId} and seq >= ${from} and seq <= ${to}`,
  visibleTo: (userId, alias = 'conversation') => takesPart(userId, alias),
};

export const SYNC_SCOPES = [activityScope, conversationScope] as const;

/** The position at or above which a conversation's messages are in its newest page (0: it has fewer). */
export function newestPageFloorOf(conversationId: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`coalesce((select page_message.seq from messages page_message where page_message.conversation_id = ${conversationId}
                                order by page_message.seq desc limit 1 offset ${MESSAGE_PAGE_SIZE - 1}), 0)`;
}
