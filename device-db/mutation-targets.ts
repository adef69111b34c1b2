import type { Mutation } from '../protocol/mutations';

/** What a mutation is about, read by the page's outbox rules and by whoever settles its answer. */

export type MutationRequest = Mutation extends infer M ? (M extends Mutation ? Pick<M, 'name' | 'args'> : never) : never;

/** What a mutation changes, for duplicates and "is this still pending": an activity, a message, a conversation or a setting. */
export function targetOf(request: MutationRequest): string {
  switch (request.name) {
    case 'notification.read':
    case 'notification.readAll':
      return 'notifications';
    case 'settings.push':
      return 'settings.push';
    case 'conversation.mute':
      return `mute:${request.args.conversationId}`;
    case 'conversation.pin':
      return `pin:${request.args.conversationId}`;
    case 'conversation.archive':
      return `archive:${request.args.conversationId}`;
    case 'user.block':
      return `block:${request.args.userId}`;
    case 'report.create':
      return `report:${request.args.messageId ?? request.args.userId}`;
    default:
      return request.args.id;
  }
}

/** The activity a mutation writes, if it writes one (its answer then carries the activity). */
export function activityIdOf(request: MutationRequest): string | null {
  return request.name.startsWith('activity.') ? targetOf(request) : null;
}
