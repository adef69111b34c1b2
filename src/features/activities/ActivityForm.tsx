import { useId, useState, type FormEvent } from 'react';
import { ACTIVITY_FIELD_LIMITS as limits } from '../../../protocol';
import { ApiError } from '../../net/api-error';
import { TextAreaField, TextField } from '../../ui/Field';
import { ErrorAlert } from '../../ui/feedback';
import type { ActivityFormValues } from './form-values';
import './activity-form.css';

export interface ActivityFormProps {
  initialValues: ActivityFormValues;
  submitLabel: string;
  /** Validates and sends; throws an ApiError (or a field map) the form shows. */
  onSubmit: (values: ActivityFormValues) => Promise<void>;
  onCancel: () => void;
}

/** Field errors found before sending, in the same shape as the server's `error.fields`. */
export class FormFieldErrors extends Error {
  constructor(readonly fields: Record<string, string>) {
    super('Please fix the highlighted fields.');
  }
}

function fieldMessage(fields: Record<string, string>, name: string, label: string): string | undefined {
  const message = fields[name];
  return message ? `${label} ${message}` : undefined;
}

export function ActivityForm({ initialValues, submitLabel, onSubmit, onCancel }: ActivityFormProps) {
  const [values, setValues] = useState(initialValues);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const privateHintId = useId();

  function set<K extends keyof ActivityFormValues>(key: K, value: ActivityFormValues[K]) {
    setValues((current) => ({ ...current, [key]: value }));
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    setFields({});
    try {
      await onSubmit(values);
    } catch (caught) {
      if (caught instanceof FormFieldErrors || caught instanceof ApiError) setFields(caught.fields);
      setError(caught);
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <form className="form card form-card" onSubmit={(event) => void handleSubmit(event)} noValidate>
      <TextField
        label="Title"
        value={values.title}
        onChange={(event) => set('title', event.target.value)}
        error={fieldMessage(fields, 'title', 'Title')}
        placeholder="Sunday morning run"
        dir="auto"
        maxLength={limits.titleMaxLength}
        required
      />
      <TextAreaField
        label="Description"
        value={values.description}
        onChange={(event) => set('description', event.target.value)}
        error={fieldMessage(fields, 'description', 'Description')}
        placeholder="What's the plan? What should people bring?"
        dir="auto"
        rows={4}
        maxLength={limits.descriptionMaxLength}
      />
      <TextField
        label="Location"
        value={values.location}
        onChange={(event) => set('location', event.target.value)}
        error={fieldMessage(fields, 'location', 'Location')}
        placeholder="Riverside park, north gate"
        dir="auto"
        maxLength={limits.locationMaxLength}
      />
      <div className="field-row">
        <TextField
          label="Starts"
          type="datetime-local"
          value={values.startsAt}
          onChange={(event) => set('startsAt', event.target.value)}
          error={fieldMessage(fields, 'startsAt', 'Start')}
          required
        />
        <TextField
          label="Ends"
          type="datetime-local"
          value={values.endsAt}
          min={values.startsAt}
          onChange={(event) => set('endsAt', event.target.value)}
          error={fieldMessage(fields, 'endsAt', 'End')}
          hint="Optional"
        />
      </div>
      <TextField
        label="Capacity"
        type="number"
        inputMode="numeric"
        min={limits.capacityMin}
        step={1}
        value={values.capacity}
        onChange={(event) => set('capacity', event.target.value)}
        error={fieldMessage(fields, 'capacity', 'Capacity')}
        hint="Leave empty for no limit. You count as one."
      />
      <div className="checkbox-field">
        <input
          id={`${privateHintId}-input`}
          type="checkbox"
          checked={values.isPrivate}
          onChange={(event) => set('isPrivate', event.target.checked)}
          aria-describedby={privateHintId}
        />
        <label htmlFor={`${privateHintId}-input`}>Private</label>
        <p id={privateHintId} className="field-hint">
          Only you, people you invite, and people who join can see it.
        </p>
        {fields['visibility'] && <p className="field-error" role="alert">{fields['visibility']}</p>}
      </div>
      {error !== null && (
        <ErrorAlert error={error}>
          {error instanceof FormFieldErrors ? error.message : undefined}
        </ErrorAlert>
      )}
      <div className="form-actions">
        <button type="button" className="button button-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={submitting}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
