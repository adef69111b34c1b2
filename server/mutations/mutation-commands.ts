import type { Activity, ActivityView, Mutation, MutationApplied } from '../../protocol';
import type { WriteCommand, WriteResult } from './write-commands';

/** A client's mutation as the command it asks for. */
export function commandOfMutation(mutation: Mutation): WriteCommand {
  switch (mutation.name) {
    case 'activity.create':
      return { name: mutation.name, id: mutation.args.id, fields: mutation.args.fields };
    case 'activity.update': {
      const { id, changes, baseVersion, base, strategy } = mutation.args;
      return { name: mutation.name, id, edit: { changes, baseVersion, base, strategy, editedAt: mutation.createdAt } };
    }
    case 'activity.setRole':
      return { name: mutation.name, id: mutation.args.id, userId: mutation.args.userId, role: mutation.args.role };
    case 'activity.removeMember':
      return { name: mutation.name, id: mutation.args.id, userId: mutation.args.userId };
    case 'message.send':
      return { name: mutation.name, message: mutation.args };
    case 'message.edit':
      return { name: mutation.name, id: mutation.args.id, body: mutation.args.body };
    case 'message.delete':
    case 'message.hide':
      return { name: mutation.name, id: mutation.args.id };
    case 'message.react':
      return { name: mutation.name, id: mutation.args.id, emoji: mutation.args.emoji, on: mutation.args.on };
    case 'conversation.open':
      return { name: mutation.name, conversation: mutation.args };
    case 'notification.read':
      return { name: mutation.name, ids: mutation.args.ids };
    case 'notification.readAll':
      return { name: mutation.name, upTo: mutation.args.upTo };
    case 'settings.push':
      return { name: mutation.name, push: withoutUndefined(mutation.args.push) };
    case 'conversation.mute':
      return { name: mutation.name, conversationId: mutation.args.conversationId, mutedUntil: mutation.args.mutedUntil };
    case 'conversation.pin':
      return { name: mutation.name, conversationId: mutation.args.conversationId, on: mutation.args.pinned };
    case 'conversation.archive':
      return { name: mutation.name, conversationId: mutation.args.conversationId, on: mutation.args.archived };
    case 'user.block':
      return { name: mutation.name, userId: mutation.args.userId, on: mutation.args.blocked };
    case 'report.create':
      // Keyed by the mutation itself, so the report lands once even past the mutation record's pruning.
      return { name: mutation.name, sourceKey: `${mutation.clientId}:${mutation.mutationId}`, ...mutation.args };
    default:
      return { name: mutation.name, id: mutation.args.id };
  }
}

/** The 200 answer to a mutation: what was made of it, the activity without the viewer's relation. */
export function mutationAppliedBody(mutation: Mutation, result: WriteResult): MutationApplied {
  return {
    clientId: mutation.clientId,
    mutationId: mutation.mutationId,
    status: 'applied',
    resolution: result.resolution,
    activity: plain(result.view),
    ...(result.message ? { message: result.message } : {}),
    ...(result.conversation ? { conversation: result.conversation } : {}),
  };
}

function plain(view: ActivityView | null): Activity | null {
  if (!view) return null;
  const { viewer: _viewer, ...activity } = view;
  return activity;
}

/** A partial's named keys only: `{messages: undefined}` must not merge over a stored preference. */
function withoutUndefined<T extends object>(partial: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
