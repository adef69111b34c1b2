import { useId, useState, type FormEvent } from 'react';
import { ACTIVITY_FIELD_LIMITS as limits } from '../../../protocol';
import { ApiError } from '../../net/api-error';
import { TextAreaField, TextField } from '../../ui/Field';
import { ErrorAlert } from '../../ui/feedback';
import { useFormFields } from '../../ui/use-form-fields';
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

export function ActivityForm({ initialValues, submitLabel, onSubmit, onCancel }: ActivityFormProps) {
  const { values, set, fieldErrors, setFieldErrors, textField } = useFormFields(initialValues);
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const privateHintId = useId();

  /** Text people write: labelled, in its own direction, and no longer than the server takes. */
  function writtenText(key: 'title' | 'description' | 'location', label: string, maxLength: number) {
    return { label, ...textField(key, label), dir: 'auto', maxLength };
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    setFieldErrors({});
    try {
      await onSubmit(values);
    } catch (caught) {
      if (caught instanceof FormFieldErrors || caught instanceof ApiError) setFieldErrors(caught.fields);
      setError(caught);
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <form className="form card form-card" onSubmit={(event) => void handleSubmit(event)} noValidate>
      <TextField {...writtenText('title', 'Title', limits.titleMaxLength)} placeholder="Sunday morning run" required />
      <TextAreaField
        {...writtenText('description', 'Description', limits.descriptionMaxLength)}
        placeholder="What's the plan? What should people bring?"
        rows={4}
      />
      <TextField {...writtenText('location', 'Location', limits.locationMaxLength)} placeholder="Riverside park, north gate" />
      <div className="field-row">
        <TextField
          label="Starts"
          type="datetime-local"
          {...textField('startsAt', 'Start')}
          required
        />
        <TextField
          label="Ends"
          type="datetime-local"
          {...textField('endsAt', 'End')}
          min={values.startsAt}
          hint="Optional"
        />
      </div>
      <TextField
        label="Capacity"
        type="number"
        inputMode="numeric"
        min={limits.capacityMin}
        step={1}
        {...textField('capacity', 'Capacity')}
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
        {fieldErrors['visibility'] && <p className="field-error" role="alert">{fieldErrors['visibility']}</p>}
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
