import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Activity, CreateActivityBody, UpdateActivityBody, fieldErrorsOf, type ActivityView } from '../../../protocol';
import { ApiError } from '../../net/api-error';
import { ErrorAlert, Spinner } from '../../ui/feedback';
import { useDocumentTitle } from '../../ui/use-document-title';
import { ActivityForm, FormFieldErrors } from './ActivityForm';
import { bodyFromForm, emptyFormValues, formValuesOf, type ActivityFormValues } from './form-values';
import { useCreateActivity, useUpdateActivity } from './mutations';
import { useActivity } from './queries';
import { NotFoundScreen } from '../../app/NotFoundScreen';

export function CreateActivityScreen() {
  useDocumentTitle('New activity');
  const navigate = useNavigate();
  const createActivity = useCreateActivity();
  const [initialValues] = useState(() => emptyFormValues());

  async function submit(values: ActivityFormValues) {
    const parsed = CreateActivityBody.safeParse(bodyFromForm(values));
    if (!parsed.success) throw new FormFieldErrors(fieldErrorsOf(parsed.error));
    const created = await createActivity.mutateAsync(parsed.data);
    void navigate(`/activities/${created.id}`, { replace: true });
  }

  return (
    <section className="page page-narrow">
      <h1>New activity</h1>
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
 * Saves with the version the form was loaded from. If someone saved in between, the server
 * answers `conflict` with its copy, and the user picks: take theirs, or save over it.
 */
function EditActivityForm({ activity }: { activity: ActivityView }) {
  const navigate = useNavigate();
  const updateActivity = useUpdateActivity(activity.id);
  const [base, setBase] = useState(() => ({ version: activity.version, values: formValuesOf(activity), formKey: 0 }));
  const [conflict, setConflict] = useState<{ theirs: ActivityView; mine: ActivityFormValues } | null>(null);

  async function save(values: ActivityFormValues, baseVersion: number) {
    const parsed = UpdateActivityBody.safeParse({ ...bodyFromForm(values), baseVersion });
    if (!parsed.success) throw new FormFieldErrors(fieldErrorsOf(parsed.error));
    try {
      await updateActivity.mutateAsync(parsed.data);
      setConflict(null);
      void navigate(`/activities/${activity.id}`, { replace: true });
    } catch (error) {
      const theirs = error instanceof ApiError && error.code === 'conflict' ? Activity.safeParse(error.current) : null;
      if (!theirs?.success) throw error;
      setConflict({ theirs: { ...theirs.data, viewer: activity.viewer }, mine: values });
    }
  }

  function takeTheirs(theirs: ActivityView) {
    setBase((current) => ({ version: theirs.version, values: formValuesOf(theirs), formKey: current.formKey + 1 }));
    setConflict(null);
  }

  return (
    <section className="page page-narrow">
      <h1>Edit activity</h1>
      {conflict && (
        <div className="alert alert-warning" role="alert">
          <p>
            <strong>Someone else changed this activity while you were editing.</strong> Their version is titled
            “{conflict.theirs.title}”.
          </p>
          <div className="alert-actions">
            <button type="button" className="button button-secondary button-compact" onClick={() => takeTheirs(conflict.theirs)}>
              Load their version
            </button>
            <button
              type="button"
              className="button button-primary button-compact"
              onClick={() => void save(conflict.mine, conflict.theirs.version).catch(() => setConflict(null))}
            >
              Save mine anyway
            </button>
          </div>
        </div>
      )}
      <ActivityForm
        key={base.formKey}
        initialValues={base.values}
        submitLabel="Save changes"
        onSubmit={(values) => save(values, base.version)}
        onCancel={() => void navigate(`/activities/${activity.id}`)}
      />
    </section>
  );
}
