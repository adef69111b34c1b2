import type { Activity, ActivityView, BulkConflictResolution, Conversation, CreateActivityBody, Message, PushPreferences, Resolution } from '../../protocol';
import type { ActivityEdit, ActivityService } from '../activities/activity-service';
import type { Viewer } from '../auth/authenticate';
import type { ChatService, SendMessageInput } from '../chat/chat-service';
import { resolveRsvp } from '../domain/rsvp-resolution';
import type { UserSettingsService } from '../push/user-settings-service';
import type { ReportInput, SafetyService } from '../safety/safety-service';

/**
 * Every write the server accepts, whatever carried it (a client's mutation, a REST call, an item
 * of a bulk request), as one command. The mutation service runs each in its transaction.
 */
export type WriteCommand =
  | { name: 'activity.create'; id?: string; fields: CreateActivityBody }
  | { name: 'activity.update'; id: string; edit: ActivityEdit }
  | { name: 'activity.delete' | 'activity.like' | 'activity.unlike' | 'activity.join' | 'activity.leave'; id: string }
  /** `at`: when the member arrived (an offline time); `replaceTime`: move an earlier check-in to it. */
  | { name: 'activity.checkin'; id: string; at?: string; replaceTime?: boolean }
  | { name: 'activity.invite'; id: string; userId: string }
  | { name: 'activity.setRole'; id: string; userId: string; role: 'cohost' | 'member' }
  | { name: 'activity.removeMember'; id: string; userId: string }
  /** An offline answer to "going?", settled against the server's by `resolveRsvp`. */
  | { name: 'activity.rsvp'; id: string; going: boolean; wasGoing: boolean | undefined; resolution: BulkConflictResolution }
  | { name: 'message.send'; message: SendMessageInput }
  | { name: 'message.edit'; id: string; body: string }
  | { name: 'message.delete' | 'message.hide'; id: string }
  | { name: 'message.react'; id: string; emoji: string; on: boolean }
  | { name: 'conversation.open'; conversation: { id: string; peerId: string } }
  | { name: 'notification.read'; ids: string[] }
  | { name: 'notification.readAll'; upTo: string }
  | { name: 'settings.push'; push: Partial<PushPreferences> }
  | { name: 'conversation.mute'; conversationId: string; mutedUntil: string | null }
  | { name: 'conversation.pin' | 'conversation.archive'; conversationId: string; on: boolean }
  | { name: 'user.block'; userId: string; on: boolean }
  | ({ name: 'report.create' } & ReportInput);

export interface WriteResult {
  resolution: Resolution;
  /** The activity as the writer sees it afterwards: null once deleted or out of their sight, and for chat. */
  view: ActivityView | null;
  /** The activity a leave took out of the leaver's sight (a private one): REST still answers it. */
  outOfSight?: Activity;
  message?: Message;
  conversation?: Conversation;
}

export interface WriteServices {
  activities: ActivityService;
  chat: ChatService;
  settings: UserSettingsService;
  safety: SafetyService;
}

export async function runWriteCommand(services: WriteServices, viewer: Viewer, command: WriteCommand): Promise<WriteResult> {
  // Each service is made when first read (see write-transaction.ts): read only the one the command needs.
  switch (command.name) {
    case 'activity.create':
      return applied(await services.activities.create(viewer, command.fields, command.id === undefined ? {} : { id: command.id }));
    case 'activity.update':
      return services.activities.edit(viewer, command.id, command.edit);
    case 'activity.delete':
      await services.activities.remove(viewer, command.id);
      return applied(null);
    case 'activity.like':
      return applied(await services.activities.like(viewer, command.id));
    case 'activity.unlike':
      return applied(await services.activities.unlike(viewer, command.id));
    case 'activity.join':
      return applied(await services.activities.join(viewer, command.id));
    case 'activity.leave': {
      const { view, activity } = await services.activities.leave(viewer, command.id);
      return view ? applied(view) : { ...applied(null), outOfSight: activity };
    }
    case 'activity.checkin': {
      const { view, changed } = await services.activities.checkin(viewer, command.id, { at: command.at, replaceTime: command.replaceTime });
      return { resolution: changed ? 'applied' : 'unchanged', view };
    }
    case 'activity.invite':
      await services.activities.invite(viewer, command.id, command.userId);
      return applied(null);
    case 'activity.setRole': {
      const { view, changed } = await services.activities.setRole(viewer, command.id, command.userId, command.role);
      return { resolution: changed ? 'applied' : 'unchanged', view };
    }
    case 'activity.removeMember': {
      const { view, changed } = await services.activities.removeMember(viewer, command.id, command.userId);
      return { resolution: changed ? 'applied' : 'unchanged', view };
    }
    case 'activity.rsvp':
      return rsvp(services, viewer, command);
    case 'message.send': {
      const { message, resolution } = await services.chat.send(viewer, command.message);
      return { resolution, view: null, message };
    }
    case 'message.edit': {
      const { message, resolution } = await services.chat.edit(viewer, { id: command.id, body: command.body });
      return { resolution, view: null, message };
    }
    case 'message.delete': {
      const { message, resolution } = await services.chat.deleteForEveryone(viewer, { id: command.id });
      return { resolution, view: null, message };
    }
    case 'message.hide':
      return settled((await services.chat.hide(viewer, { id: command.id })).resolution);
    case 'message.react': {
      const { message, resolution } = await services.chat.react(viewer, { id: command.id, emoji: command.emoji, on: command.on });
      return { resolution, view: null, message };
    }
    case 'conversation.open': {
      const { conversation, resolution } = await services.chat.openDirect(viewer, command.conversation);
      return { resolution, view: null, conversation };
    }
    case 'notification.read':
      return settled(await services.settings.readNotifications(viewer, command.ids));
    case 'notification.readAll':
      return settled(await services.settings.readAllNotifications(viewer, command.upTo));
    case 'settings.push':
      return settled(await services.settings.setPushPreferences(viewer, command.push));
    case 'conversation.mute':
      return settled(await services.settings.muteConversation(viewer, command.conversationId, command.mutedUntil));
    case 'conversation.pin':
      return settled(await services.settings.pinConversation(viewer, command.conversationId, command.on));
    case 'conversation.archive':
      return settled(await services.settings.archiveConversation(viewer, command.conversationId, command.on));
    case 'user.block':
      return settled(await services.safety.blockUser(viewer, command.userId, command.on));
    case 'report.create': {
      const { name: _name, ...report } = command;
      return settled(await services.safety.report(viewer, report));
    }
  }
}

const applied = (view: ActivityView | null): WriteResult => ({ resolution: 'applied', view });
const settled = (resolution: Resolution): WriteResult => ({ resolution, view: null });

async function rsvp(services: WriteServices, viewer: Viewer, command: Extract<WriteCommand, { name: 'activity.rsvp' }>): Promise<WriteResult> {
  const before = await services.activities.requireVisible(viewer, command.id);
  const decision = resolveRsvp({ joinedNow: before.viewer.joined, going: command.going, wasGoing: command.wasGoing, resolution: command.resolution });
  if (decision !== 'apply') return { resolution: decision, view: before };
  return runWriteCommand(services, viewer, { name: command.going ? 'activity.join' : 'activity.leave', id: command.id });
}
