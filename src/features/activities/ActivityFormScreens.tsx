import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Activity, CreateActivityBody, fieldErrorsOf, newRowId, type ActivityView } from '../../../protocol';
import { useActivity } from '../../data/activity-queries';
import { useLocalWrites } from '../../data/local-writes';
import { ErrorAlert, Spinner } from '../../ui/feedback';
import { useDocumentTitle } from '../../ui/use-document-title';
import { ActivityForm, FormFieldErrors } from './ActivityForm';
import { bodyFromForm, emptyFormValues, formValuesOf, type ActivityFormValues } from './form-values';
import { changedFields, editableFieldsOf } from './activity-edits';
import { useWrite } from './mutations';
import { useOutbox } from '../../outbox/outbox-context';
import { useOutboxEntries } from '../../outbox/use-outbox';
import type { OutboxEntry } from '../../../device-db/local-db';
import { NotFoundScreen } from '../../app/NotFoundScreen';

export function CreateActivityScreen() {
  useDocumentTitle('New activity');
  const navigate = useNavigate();
  const write = useWrite();
  const [initialValues] = useState(() => emptyFormValues());

  async function submit(values: ActivityFormValues) {
    const parsed = CreateActivityBody.safeParse(bodyFromForm(values));
    if (!parsed.success) throw new FormFieldErrors(fieldErrorsOf(parsed.error));
    // The id is made here, so the new activity opens at once, online or not.
    const handle = await write.start({ name: 'activity.create', args: { id: newRowId(), fields: parsed.data } });
    if (handle) void navigate(`/activities/${handle.activityId}`, { replace: true });
  }

  return (
    <section className="page page-narrow">
      <h1>New activity</h1>
      {write.error && <ErrorAlert>{write.error}</ErrorAlert>}
      <ActivityForm
        initialValues={initialValues}
        submitLabel="Create activity"
        onSubmit={submit}
        onCancel={() => void navigate(-1)}
      />
    </section>
  );
}

export function EditActivityScreen() {
  const { activityId = '' } = useParams();
  const activity = useActivity(activityId);
  useDocumentTitle(activity ? `Edit ${activity.title}` : 'Edit activity');

  if (activity === undefined) return <Spinner />;
  if (activity === null) return <NotFoundScreen />;
  if (!activity.viewer.isOwner) {
    return (
      <section className="page page-narrow">
        <ErrorAlert>Only the host can edit this activity.</ErrorAlert>
      </section>
    );
  }
  return <EditActivityForm activity={activity} />;
}

/**
 * Saves the changed fields with the version and values the form was loaded from. If someone saved
 * in between, the server refuses with `conflict` and its copy, and the user picks: keep theirs,
 * or keep mine (sent again with the client-wins strategy). Offline, the edit waits in the outbox.
 */
function EditActivityForm({ activity }: { activity: ActivityView }) {
  const navigate = useNavigate();
  const outbox = useOutbox();
  const localWrites = useLocalWrites();
  const write = useWrite();
  const [base, setBase] = useState(() => ({ activity, values: formValuesOf(activity), formKey: 0 }));
  const [conflict, setConflict] = useState<{ theirs: ActivityView; mine: ActivityFormValues; mutationId: number } | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  // An edit saved offline and refused later for a conflict waits in the failed list: the choice
  // is offered here too, whenever the edit screen opens.
  const entries = useOutboxEntries();
  const offlineConflict = conflict
    ? undefined
    : entries?.find(
        (entry) =>
          entry.status === 'failed' &&
          entry.error?.code === 'conflict' &&
          entry.mutation.name === 'activity.update' &&
          entry.mutation.args.id === activity.id,
      );

  async function save(values: ActivityFormValues, from: ActivityView, strategy?: 'client-wins') {
    const parsed = CreateActivityBody.safeParse(bodyFromForm(values));
    if (!parsed.success) throw new FormFieldErrors(fieldErrorsOf(parsed.error));
    setRefusal(null);
    const fields = editableFieldsOf(from);
    const changes = changedFields(fields, parsed.data);
    if (Object.keys(changes).length === 0) {
      void navigate(`/activities/${activity.id}`, { replace: true });
      return;
    }
    const handle = await write.start({
      name: 'activity.update',
      args: { id: activity.id, changes, baseVersion: Math.max(1, from.version), base: fields, ...(strategy ? { strategy } : {}) },
    });
    if (!handle) return;
    const outcome = await handle.outcome;
    if (outcome.status === 'applied' || outcome.status === 'pending') {
      setConflict(null);
      void navigate(`/activities/${activity.id}`, { replace: true });
      return;
    }
    const theirs = outcome.status === 'rejected' && outcome.error.code === 'conflict' ? Activity.safeParse(outcome.error.current) : null;
    if (theirs?.success) {
      setConflict({ theirs: { ...theirs.data, viewer: activity.viewer }, mine: values, mutationId: handle.mutationId });
      return;
    }
    setRefusal(outcome.error.message);
  }

  async function keepTheirs(theirs: ActivityView, mutationId: number) {
    if (outbox && localWrites) {
      await outbox.discard(mutationId);
      const { viewer: _viewer, ...row } = theirs;
      await localWrites.storeActivity(row);
    }
    setBase((current) => ({ activity: theirs, values: formValuesOf(theirs), formKey: current.formKey + 1 }));
    setConflict(null);
  }

  async function keepMine(current: NonNullable<typeof conflict>) {
    await outbox?.discard(current.mutationId);
    setConflict(null);
    await save(current.mine, current.theirs, 'client-wins').catch(() => undefined);
  }

  async function settleOfflineConflict(entry: OutboxEntry, keep: 'mine' | 'theirs') {
    await outbox?.discard(entry.mutationId);
    if (keep === 'theirs' || entry.mutation.name !== 'activity.update') return;
    const handle = await write.start({
      name: 'activity.update',
      args: { ...entry.mutation.args, baseVersion: Math.max(1, activity.version), strategy: 'client-wins' },
    });
    if (handle) void navigate(`/activities/${activity.id}`, { replace: true });
  }

  return (
    <section className="page page-narrow">
      <h1>Edit activity</h1>
      {offlineConflict && offlineConflict.mutation.name === 'activity.update' && (
        <div className="alert alert-warning" role="alert">
          <p>
            <strong>Someone else changed this activity while you were editing.</strong> The change you saved offline
            {offlineConflict.mutation.args.changes.title ? ` (title “${offlineConflict.mutation.args.changes.title}”)` : ''} was not
            applied. Keep theirs, or put yours back over it.
          </p>
          <div className="alert-actions">
            <button type="button" className="button button-secondary button-compact" onClick={() => void settleOfflineConflict(offlineConflict, 'theirs')}>
              Keep theirs
            </button>
            <button type="button" className="button button-primary button-compact" onClick={() => void settleOfflineConflict(offlineConflict, 'mine')}>
              Keep mine
            </button>
          </div>
        </div>
      )}
      {(refusal ?? write.error) && !conflict && <ErrorAlert>{refusal ?? write.error}</ErrorAlert>}
      {conflict && (
        <div className="alert alert-warning" role="alert">
          <p>
            <strong>Someone else changed this activity while you were editing.</strong> Their version is titled
            “{conflict.theirs.title}”.
          </p>
          <div className="alert-actions">
            <button type="button" className="button button-secondary button-compact" onClick={() => void keepTheirs(conflict.theirs, conflict.mutationId)}>
              Keep theirs
            </button>
            <button type="button" className="button button-primary button-compact" onClick={() => void keepMine(conflict)}>
              Keep mine
            </button>
          </div>
        </div>
      )}
      <ActivityForm
        key={base.formKey}
        initialValues={base.values}
        submitLabel="Save changes"
        onSubmit={(values) => save(values, base.activity)}
        onCancel={() => void navigate(`/activities/${activity.id}`)}
      />
    </section>
  );
}
