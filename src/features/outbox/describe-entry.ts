import type { OutboxEntry } from '../../data/local-db';

const verbs: Record<OutboxEntry['mutation']['name'], string> = {
  'activity.create': 'Create',
  'activity.update': 'Edit',
  'activity.delete': 'Delete',
  'activity.like': 'Like',
  'activity.unlike': 'Unlike',
  'activity.join': 'Join',
  'activity.leave': 'Leave',
  'activity.checkin': 'Check in to',
  'message.send': 'Send',
  'conversation.open': 'Start a conversation',
};

/** A line a person understands: "Edit “Sunrise hike”". */
export function describeEntry(entry: OutboxEntry, titleOf: (activityId: string) => string | undefined): string {
  const { mutation } = entry;
  if (mutation.name === 'message.send') {
    const preview = mutation.args.body.length > 40 ? `${mutation.args.body.slice(0, 40)}…` : mutation.args.body;
    return `${mutation.args.kind === 'announcement' ? 'Announce' : 'Send'} “${preview}”`;
  }
  if (mutation.name === 'conversation.open') return verbs[mutation.name];
  const title =
    mutation.name === 'activity.create'
      ? mutation.args.fields.title
      : mutation.name === 'activity.update' && mutation.args.changes.title !== undefined
        ? mutation.args.changes.title
        : titleOf(mutation.args.id);
  return `${verbs[mutation.name]} ${title ? `“${title}”` : 'an activity'}`;
}
