import type { OutboxEntry } from '../../../device-db/local-db';

const verbs: Record<OutboxEntry['mutation']['name'], string> = {
  'activity.create': 'Create',
  'activity.update': 'Edit',
  'activity.delete': 'Delete',
  'activity.like': 'Like',
  'activity.unlike': 'Unlike',
  'activity.join': 'Join',
  'activity.leave': 'Leave',
  'activity.checkin': 'Check in to',
  'activity.setRole': 'Change a member’s role in',
  'activity.removeMember': 'Remove a member from',
  'message.send': 'Send',
  'message.edit': 'Edit a message',
  'message.delete': 'Delete a message for everyone',
  'message.hide': 'Delete a message for you',
  'message.react': 'React to a message',
  'conversation.open': 'Start a conversation',
  'notification.read': 'Mark a notification read',
  'notification.readAll': 'Mark all notifications read',
  'settings.push': 'Change notification settings',
  'conversation.mute': 'Mute a conversation',
  'conversation.pin': 'Pin a chat',
  'conversation.archive': 'Archive a chat',
  'user.block': 'Block someone',
  'report.create': 'Report to the moderators',
};

/** A line a person understands: "Edit “Sunrise hike”". */
export function describeEntry(entry: OutboxEntry, titleOf: (activityId: string) => string | undefined): string {
  const { mutation } = entry;
  if (mutation.name === 'message.send') {
    const preview = mutation.args.body.length > 40 ? `${mutation.args.body.slice(0, 40)}…` : mutation.args.body;
    const verb = mutation.args.kind === 'announcement' ? 'Announce' : 'Send';
    if (mutation.args.photo) return preview ? `${verb} a photo: “${preview}”` : `${verb} a photo`;
    return `${verb} “${preview}”`;
  }
  if (mutation.name === 'message.react') return `${mutation.args.on ? 'React' : 'Take back'} ${mutation.args.emoji}`;
  if (mutation.name === 'message.edit' || mutation.name === 'message.delete' || mutation.name === 'message.hide') return verbs[mutation.name];
  if (mutation.name === 'conversation.open' || mutation.name === 'notification.readAll' || mutation.name === 'settings.push') return verbs[mutation.name];
  if (mutation.name === 'notification.read') {
    return mutation.args.ids.length === 1 ? verbs[mutation.name] : `Mark ${mutation.args.ids.length} notifications read`;
  }
  if (mutation.name === 'activity.setRole' || mutation.name === 'activity.removeMember') {
    const title = titleOf(mutation.args.id);
    const what = mutation.name === 'activity.removeMember' ? 'Remove a member from' : mutation.args.role === 'cohost' ? 'Make a co-host in' : 'Take back a co-host in';
    return `${what} ${title ? `“${title}”` : 'an activity'}`;
  }
  if (mutation.name === 'conversation.mute') return mutation.args.mutedUntil === null ? 'Unmute a conversation' : verbs[mutation.name];
  if (mutation.name === 'conversation.pin') return mutation.args.pinned ? verbs[mutation.name] : 'Unpin a chat';
  if (mutation.name === 'conversation.archive') return mutation.args.archived ? verbs[mutation.name] : 'Unarchive a chat';
  if (mutation.name === 'user.block') return mutation.args.blocked ? verbs[mutation.name] : 'Unblock someone';
  if (mutation.name === 'report.create') return verbs[mutation.name];
  const title =
    mutation.name === 'activity.create'
      ? mutation.args.fields.title
      : mutation.name === 'activity.update' && mutation.args.changes.title !== undefined
        ? mutation.args.changes.title
        : titleOf(mutation.args.id);
  return `${verbs[mutation.name]} ${title ? `“${title}”` : 'an activity'}`;
}
