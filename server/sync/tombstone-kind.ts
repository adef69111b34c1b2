import { sql } from 'kysely';
import type { Change } from '../../protocol';
import { KIND } from './sync-cursor';
import type { SyncKind } from './sync-kind';
import { activityScope } from './sync-scopes';

type RemovedEntity = 'activity' | 'member' | 'like' | 'checkin' | 'conversation';

/**
 * Removals, only in the log (a snapshot holds only what exists). The tombstone names what it
 * removes in its item id (`entity|id`), so a page needs no second read for it. Who hears of it:
 * an activity's, those who may no longer see it; a conversation's, those no longer in its room
 * (or everyone, once the activity is deleted); a member's, like's or check-in's, those who still
 * see the activity. A tombstone with a user is only that user's.
 */
export const tombstoneKind: SyncKind = {
  kind: KIND.tombstone,
  logItems: (userId, { from, to }) => {
    const visible = activityScope.visibleTo(userId);
    return sql`
      select ${sql.lit(KIND.tombstone)} as kind, tombstone.entity || '|' || tombstone.entity_id as id, tombstone.activity_id as scope_id,
             tombstone.seq as feed_position, tombstone.version as tombstone_version
        from tombstones tombstone join activities activity on activity.id = tombstone.activity_id
       where tombstone.seq >= ${from} and tombstone.seq <= ${to} and (tombstone.user_id is null or tombstone.user_id = ${userId})
         and (case when tombstone.entity = 'activity' then not ${visible}
                   when tombstone.entity = 'conversation' then (activity.deleted_at is not null
                     or not exists (select 1 from activity_members room_member
                                     where room_member.activity_id = tombstone.activity_id and room_member.user_id = ${userId}))
                   else ${visible} end)`;
  },
  loadChanges: async (_db, _userId, items) =>
    new Map(
      items.map((item): [string, Change] => {
        const separator = item.id.indexOf('|');
        const entity = item.id.slice(0, separator) as RemovedEntity;
        return [item.id, { entity, op: 'delete', id: item.id.slice(separator + 1), version: Number(item.tombstoneVersion), data: null }];
      }),
    ),
};
